import ChatOpsCore
import Foundation
import Logging
import Testing

@testable import ChatPlatforms

/// Deliveries kept in memory (the first record of a key stays, as in the store).
private actor RecordedDeliveries: DeliveryRecords {
    var keys: [String: String]
    init(_ keys: [String: String] = [:]) { self.keys = keys }
    func delivery(key: String) -> String? { keys[key] }
    func recordDelivery(key: String, messageID: String) { keys[key] = keys[key] ?? messageID }
}

/// What the platform decides without calling Discord: the client points at a closed port and gives
/// up after one attempt, so a call made by mistake fails the test.
@Suite("Discord platform without the network")
struct DiscordPlatformTests {
    let logger = Logger(label: "discord-test")

    func platform(_ deliveries: any DeliveryRecords) -> DiscordPlatform {
        let settings = DiscordRESTClient.Settings(
            baseURL: "http://127.0.0.1:9", token: "bot-token", applicationID: "A1", channelInterval: .zero, timeout: .seconds(1), maxAttempts: 1)
        return DiscordPlatform(client: DiscordRESTClient(settings: settings, logger: logger), deliveries: deliveries, logger: logger)
    }

    @Test func aDeliveredReplyIsNotPostedAgainAndKeepsItsThread() async throws {
        let command = Conversation(platform: "discord", channel: "C1", replyToken: "TOK")
        let deliveries = RecordedDeliveries([DiscordPlatform.settledKey("TOK"): "M1", "job:done": "M7", "job:first": "M1"])
        let later = try await platform(deliveries).post(Reply(text: "done"), in: command, idempotencyKey: "job:done")
        #expect(later == MessageRef(conversation: command.inThread("M1"), id: "M7"), "a later reply is in the command's thread")
        let first = try await platform(deliveries).post(Reply(text: "started"), in: command, idempotencyKey: "job:first")
        #expect(first.conversation.thread == nil, "the message a thread started from is in the channel")
        #expect(first.replyThread == "M1", "and replies to it go in that thread")
        let scheduled = Conversation(platform: "discord", channel: "C2")
        let report = try await platform(RecordedDeliveries(["report": "M9"])).post(Reply(text: "report"), in: scheduled, idempotencyKey: "report")
        #expect(report == MessageRef(conversation: scheduled, id: "M9", replyThread: "M9"), "a top-level message starts its replies' thread")
    }

    @Test func aPrivatelyDeferredCommandSettlesWhereItWasTyped() async throws {
        let command = Conversation(platform: "discord", channel: "C1", replyToken: DiscordReplyToken.privateCommand("TOK").replyToken)
        let deliveries = RecordedDeliveries(["job:parse": DiscordPlatform.ephemeralID])
        let ref = try await platform(deliveries).post(.error("unknown command"), in: command, idempotencyKey: "job:parse")
        #expect(ref.id == DiscordPlatform.ephemeralID)
        #expect(ref.replyThread == nil, "a private message starts no thread")
        #expect(await deliveries.delivery(key: DiscordPlatform.settledKey("TOK")) == "C1", "no thread starts from a private message")
    }

    @Test func privateRepliesAreNotEdited() async throws {
        let message = MessageRef(conversation: Conversation(platform: "discord", channel: "C1"), id: DiscordPlatform.ephemeralID)
        try await platform(RecordedDeliveries()).update(message, with: Reply(text: "changed"))
    }

    @Test func referencesNameTheThreadAMessageIsIn() {
        let discord = platform(RecordedDeliveries())
        let channel = Conversation(platform: "discord", channel: "C1", replyToken: "TOK")
        let inThread = discord.reference("M2", postedIn: "T1", in: channel)
        #expect(inThread.conversation.thread == "T1")
        #expect(inThread.replyThread == "T1")
        let topLevel = discord.reference("M2", postedIn: "C1", in: channel)
        #expect(topLevel.conversation.thread == nil)
        #expect(topLevel.replyThread == "M2")
        #expect(discord.reference("T1", postedIn: "T1", in: channel).conversation.thread == nil, "a thread's first message is in the channel")
        #expect(discord.reference("M2", postedIn: nil, in: channel.inThread("T1")).conversation.thread == "T1")
        #expect(discord.reference(DiscordPlatform.ephemeralID, postedIn: nil, in: channel).replyThread == nil)
    }

    @Test func noncesAndKeysAreShortAndHideTokens() {
        let nonce = DiscordPlatform.nonce(for: "job-1:answer")
        #expect(nonce.count == 25)
        #expect(nonce == DiscordPlatform.nonce(for: "job-1:answer"))
        #expect(nonce != DiscordPlatform.nonce(for: "job-2:answer"))
        #expect(!DiscordPlatform.settledKey("secret-token").contains("secret-token"))
        #expect(DiscordPlatform.settledKey("secret-token").hasPrefix("discord:thread:"))
    }

    @Test func threadsAreNamedAfterTheFirstLine() {
        #expect(DiscordPlatform.threadName(Reply(title: "Approval needed: `deploy fraud v12`", text: "x")) == "Approval needed: deploy fraud v12")
        #expect(DiscordPlatform.threadName(Reply(text: "line one\nline two")) == "line one")
        #expect(DiscordPlatform.threadName(Reply(text: String(repeating: "a", count: 200))).count == 90)
        #expect(DiscordPlatform.threadName(Reply(text: " ")) == "chatops")
    }

    @Test func replyTokensKeepHowTheInteractionWasAcknowledged() {
        for token in [DiscordReplyToken.command("abc"), .privateCommand("abc"), .click("abc")] {
            #expect(DiscordReplyToken(token.replyToken) == token)
            #expect(token.token == "abc")
        }
        #expect(DiscordReplyToken(nil) == nil)
        #expect(!DiscordReplyToken.click("abc").isCommand)
    }
}
