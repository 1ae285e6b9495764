import ChatOpsCore
import DiscordGatewayDouble
import Foundation
import Logging
import OutboundHTTP
import Testing

@testable import ChatPlatforms

@Suite("Discord Gateway against a local double", .timeLimit(.minutes(1)))
struct DiscordGatewayTests {
    static let bot = "1100000000000000001"
    /// GUILD_CREATE for server G1: channel C1, and thread T1 in it.
    static let guild: JSONValue = [
        "id": "G1", "name": "ops", "channels": [["id": "C1", "type": 0, "name": "ops"]],
        "threads": [["id": "T1", "type": 11, "parent_id": "C1", "guild_id": "G1", "name": "deploy fraud v12"]],
    ]

    let parser: CommandParser
    let roles = RoleDirectory()

    init() throws {
        parser = try ConnectionFixtures.parser()
    }

    @Test func identifiesWithItsIntentsAndAMentionArrivesWithoutTheMention() async throws {
        let intake = SocketModeRecordingIntake()
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            try await withGateway(double, intake: intake) { _ in
                double.dispatch(type: "GUILD_CREATE", data: Self.guild)
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M1", "<@\(Self.bot)> deploy fraud v12"))
                try await eventually("the mention is stored") { await intake.stored("discord:message:M1") != nil }
            }
            let identify = try #require(double.identifies.first)
            #expect(identify.token == double.token)
            let intents = 1 << 0 | 1 << 9 | 1 << 12 | 1 << 15
            #expect(identify.intents == intents, "GUILDS, GUILD_MESSAGES, DIRECT_MESSAGES and MESSAGE_CONTENT")
            #expect(identify.properties?["browser"] == "chatops")
            #expect(double.connections.first?.query == "v=10&encoding=json")
            let found = await intake.stored("discord:message:M1")
            let inbound = try #require(found).inbound
            #expect(inbound.kind == .message(text: "deploy fraud v12"))
            #expect(inbound.sender == Principal(platform: "discord", userID: "U1", displayName: "Mason", groups: ["R1"]))
            #expect(inbound.conversation == Conversation(platform: "discord", channel: "C1"))
            #expect(inbound.replyThread == "M1", "its replies go in a thread started from it")
        }
    }

    @Test func theBotsOwnMessagesOtherBotsAndChatterAreIgnoredButADirectMessageNeedsNoMention() async throws {
        let intake = SocketModeRecordingIntake()
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            try await withGateway(double, intake: intake) { _ in
                try await becomeReady(double, intake)
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M1", "<@\(Self.bot)> status", author: Self.bot, bot: true))
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M2", "<@\(Self.bot)> deploy fraud v12", author: "B2", bot: true))
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M3", "approve", in: "C1"))
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M4", "status", in: "D1", guild: nil))
                try await eventually("the direct message is stored") { await intake.stored("discord:message:M4") != nil }
            }
            let keys = await intake.storedKeys
            #expect(keys == ["discord:message:M0", "discord:message:M4"], "handled in order: the three before it were ignored")
            let found = await intake.stored("discord:message:M4")
            let direct = try #require(found).inbound
            #expect(direct.kind == .message(text: "status"))
            #expect(direct.conversation == Conversation(platform: "discord", channel: "D1"))
            #expect(direct.replyThread == nil, "a direct conversation has no threads")
        }
    }

    @Test func aTypedAnswerInAThreadHasTheConversationOfAClickInThatThread() async throws {
        let click =
            #"{"type":3,"id":"I9","application_id":"A1","token":"TOKEN9","guild_id":"G1","channel_id":"T1","#
            + #""channel":{"id":"T1","type":11,"parent_id":"C1"},"member":{"user":{"id":"U2","username":"ada"},"roles":["R2"]},"#
            + #""message":{"id":"M0"},"data":{"custom_id":"approve:k7q2m9:0123456789abcdef","component_type":2}}"#
        guard case .accept(let clicked, _) = try DiscordInteractionDecoder.decide(body: Array(click.utf8)) else {
            Issue.record("the interaction decoder takes the click")
            return
        }
        let intake = SocketModeRecordingIntake()
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            double.addChannel(id: "T2", type: 12, parent: "C2")
            try await withGateway(double, intake: intake) { _ in
                try await becomeReady(double, intake)
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M1", "approve", in: "T1"))
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M2", "looks good to me", in: "T1"))
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M3", "reject k7q2m9 wrong version", in: "T2"))
                try await eventually("the answers are stored") { await intake.stored("discord:message:M3") != nil }
            }
            let keys = await intake.storedKeys
            #expect(!keys.contains("discord:message:M2"), "chatter in a thread is not for the bot")
            let typed = await intake.stored("discord:message:M1")
            let answer = try #require(typed).inbound
            #expect(answer.kind == .message(text: "approve"))
            #expect(answer.conversation == Conversation(platform: "discord", channel: "C1", thread: "T1"))
            #expect(answer.conversation.channel == clicked.conversation.channel && answer.conversation.thread == clicked.conversation.thread)
            let lookedUp = await intake.stored("discord:message:M3")
            let elsewhere = try #require(lookedUp).inbound
            #expect(elsewhere.conversation == Conversation(platform: "discord", channel: "C2", thread: "T2"), "a thread not announced is looked up")
        }
    }

    @Test func aSocketDroppedInTheMiddleOfABurstIsResumedAndEachMessageIsStoredOnce() async throws {
        let intake = SocketModeRecordingIntake()
        let keys = (1...20).map { "discord:message:B\($0)" }
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            try await withGateway(double, intake: intake) { _ in
                try await becomeReady(double, intake)
                for index in 1...20 {
                    double.dispatch(type: "MESSAGE_CREATE", data: Self.message("B\(index)", "<@\(Self.bot)> status"))
                    if index == 10 { double.dropSocket() }
                }
                try await eventually("all twenty are stored") { Set(await intake.storedKeys).isSuperset(of: keys) }
            }
            let stored = await intake.storedKeys
            #expect(stored == ["discord:message:M0"] + keys, "none lost, none stored twice, in their order")
            for key in keys {
                let attempts = await intake.attempts(of: key)
                #expect(attempts == 1, "\(key): a resume replays only what was not stored")
            }
            let resume = try #require(double.resumes.first)
            #expect(resume.accepted)
            #expect(double.identifies.count == 1)
            #expect(double.connections.dropFirst().allSatisfy { $0.path.hasPrefix("/resume") }, "resumed at READY's resume_gateway_url")
        }
    }

    @Test func aMessageThatCannotBeStoredIsReplayedAfterAResume() async throws {
        let intake = SocketModeRecordingIntake()
        await intake.failOnce("discord:message:M1")
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            try await withGateway(double, intake: intake) { _ in
                try await becomeReady(double, intake)
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M1", "<@\(Self.bot)> status"))
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M2", "<@\(Self.bot)> status"))
                try await eventually("the next message is stored") { await intake.stored("discord:message:M2") != nil }
            }
            let stored = await intake.storedKeys
            #expect(stored == ["discord:message:M0", "discord:message:M1", "discord:message:M2"])
            let failed = await intake.attempts(of: "discord:message:M1")
            let next = await intake.attempts(of: "discord:message:M2")
            #expect(failed == 2, "not stored, then replayed after the resume")
            #expect(next == 1, "the one after it was not taken before the resume")
            #expect(double.resumes.first?.accepted == true)
        }
    }

    @Test func aReconnectRequestIsFollowedByAResume() async throws {
        let intake = SocketModeRecordingIntake()
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            try await withGateway(double, intake: intake) { _ in
                try await becomeReady(double, intake)
                double.sendReconnect()
                try await eventually("the bot resumed") { double.resumes.contains(where: \.accepted) && double.isReady }
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M1", "<@\(Self.bot)> status"))
                try await eventually("a message after the resume is stored") { await intake.stored("discord:message:M1") != nil }
            }
            #expect(double.identifies.count == 1, "the session was resumed, not started anew")
            #expect(double.connections.count >= 2)
        }
    }

    @Test func anInvalidSessionThatCannotBeResumedIsFollowedByANewIdentify() async throws {
        let intake = SocketModeRecordingIntake()
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            try await withGateway(double, intake: intake) { _ in
                try await becomeReady(double, intake)
                double.invalidateSession(resumable: false)
                try await eventually("the bot identified anew") { double.identifies.count == 2 && double.isReady }
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M1", "<@\(Self.bot)> status"))
                try await eventually("a message of the new session is stored") { await intake.stored("discord:message:M1") != nil }
            }
            let second = try #require(double.identifies.last)
            #expect(double.resumes.allSatisfy { $0.connection < second.connection }, "no resume of the invalidated session")
            #expect(double.connections.last?.path.hasPrefix("/gateway") == true, "a new session starts at the gateway URL")
        }
    }

    @Test func aDisallowedIntentStopsTheServiceWithAClearError() async throws {
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            double.messageContentEnabled = false
            let ending = try await withGateway(double, intake: SocketModeRecordingIntake()) { run in
                try await eventually("the service stopped") { await run.hasEnded }
                try await Task.sleep(for: .milliseconds(200))
            }
            let error = try #require(ending as? DiscordGatewayError)
            #expect(error.code == 4014)
            #expect(error.description.contains("the Message Content intent is not enabled for this application (4014)"))
            #expect(double.identifies.count == 1, "no retry after a refusal no retry can mend")
        }
    }

    @Test func anInteractionIsStoredBeforeItsCallbackIsPosted() async throws {
        let command: JSONValue = [
            "id": "I1", "application_id": .string(Self.bot), "type": 2, "token": "TOKEN1", "version": 1, "guild_id": "G1", "channel_id": "C1",
            "channel": ["id": "C1", "type": 0], "member": ["user": Self.user("U1"), "roles": ["R1"], "nick": .null],
            "data": ["id": "CMD1", "name": "status", "type": 1],
        ]
        let intake = SocketModeRecordingIntake()
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            try await withGateway(double, intake: intake) { _ in
                try await becomeReady(double, intake)
                double.dispatch(type: "INTERACTION_CREATE", data: command)
                try await eventually("the interaction is acknowledged") { !double.callbacks.isEmpty }
            }
            let found = await intake.stored("discord:interaction:I1")
            let stored = try #require(found)
            let callback = try #require(double.callbacks.first)
            #expect(stored.at <= callback.at, "stored, then acknowledged")
            #expect(callback.interactionID == "I1")
            #expect(callback.token == "TOKEN1")
            #expect(callback.body == ["type": 5], "deferred where everyone sees it, as over HTTP: anyone may run status")
            #expect(stored.inbound.kind == .message(text: "status"))
        }
    }

    /// Channel posts are spaced apart (here by a minute); interaction callbacks must not be, or a
    /// burst of commands would miss Discord's 3 seconds: paced, the five would take four minutes.
    @Test func aBurstOfInteractionsIsAcknowledgedWithoutPacing() async throws {
        let intake = SocketModeRecordingIntake()
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            _ = try await withGateway(double, intake: intake, channelInterval: .seconds(60)) { _ in
                try await becomeReady(double, intake)
                for index in 1...5 {
                    double.dispatch(
                        type: "INTERACTION_CREATE",
                        data: [
                            "id": .string("I\(index)"), "application_id": .string(Self.bot), "type": 2, "token": .string("TOKEN\(index)"),
                            "version": 1,
                            "guild_id": "G1", "channel_id": "C1", "channel": ["id": "C1", "type": 0],
                            "member": ["user": Self.user("U1"), "roles": [], "nick": .null], "data": ["id": "CMD1", "name": "status", "type": 1],
                        ])
                }
                try await eventually("every interaction is acknowledged, none held back a minute") { double.callbacks.count == 5 }
            }
        }
    }

    @Test func aMissingHeartbeatAcknowledgementReplacesTheConnectionAndResumes() async throws {
        let intake = SocketModeRecordingIntake()
        try await DiscordGatewayDouble.run(botUserID: Self.bot) { double in
            try await withGateway(double, intake: intake) { _ in
                try await becomeReady(double, intake)
                double.stopAcknowledgingHeartbeats()
                try await eventually("the bot resumed on a new connection") { double.resumes.contains(where: \.accepted) && double.isReady }
                double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M1", "<@\(Self.bot)> status"))
                try await eventually("a message after the resume is stored") { await intake.stored("discord:message:M1") != nil }
            }
            #expect(double.identifies.count == 1)
            // Everything up to the mention before the silence was stored: the resume asks for what came after it.
            let beforeSilence = double.written.filter { $0.connection == 1 && $0.type == "MESSAGE_CREATE" }.map(\.sequence).max()
            #expect(double.resumes.first(where: \.accepted)?.sequence == beforeSilence, "the resume carries the last stored sequence number")
        }
    }

    // MARK: Helpers

    /// Runs a `DiscordGateway` against the double while `body` runs, then cancels its task and waits for it to end.
    /// - Returns: the error the service ended with.
    @discardableResult
    func withGateway(
        _ double: DiscordGatewayDouble, intake: SocketModeRecordingIntake, channelInterval: Duration = .seconds(1),
        _ body: (GatewayRun) async throws -> Void
    ) async throws -> (any Error)? {
        var logger = Logger(label: "discord-gateway-tests")
        logger.logLevel = .warning
        let client = DiscordRESTClient(
            settings: .init(baseURL: double.baseURL, token: double.token, applicationID: Self.bot, channelInterval: channelInterval, maxAttempts: 1),
            logger: logger)
        let deferral = DiscordDeferral(parser: parser, roles: roles)
        let settings = DiscordGateway.Settings(
            reconnect: RetryPolicy(baseDelay: .milliseconds(20), maxDelay: .milliseconds(100)), newSessionMilliseconds: 10...50,
            closeTimeout: .seconds(1))
        let gateway = DiscordGateway(client: client, gatewayURL: nil, deferral: deferral, intake: intake, logger: logger, settings: settings)
        let run = GatewayRun()
        let task = Task {
            do {
                try await gateway.run()
                await run.end(nil)
            } catch {
                await run.end(error)
            }
        }
        do { try await body(run) } catch {
            task.cancel()
            throw error
        }
        task.cancel()
        try await eventually("the service ended") { await run.hasEnded }
        return await run.error
    }

    /// Waits until the bot has a session: server G1 is announced, and a first mention (M0) is stored.
    func becomeReady(_ double: DiscordGatewayDouble, _ intake: SocketModeRecordingIntake) async throws {
        double.dispatch(type: "GUILD_CREATE", data: Self.guild)
        double.dispatch(type: "MESSAGE_CREATE", data: Self.message("M0", "<@\(Self.bot)> status"))
        try await eventually("the bot is ready") { await intake.stored("discord:message:M0") != nil }
    }

    /// MESSAGE_CREATE's `d`: by person U1 in server G1 (with role R1), or in a direct conversation when `guild` is nil.
    static func message(
        _ id: String, _ content: String, in channel: String = "C1", guild: String? = "G1", author: String = "U1", bot: Bool = false
    ) -> JSONValue {
        let mentioned = content.contains("<@\(Self.bot)>") ? [user(Self.bot, bot: true)] : []
        var data: JSONValue = [
            "id": .string(id), "channel_id": .string(channel), "content": .string(content), "type": 0, "tts": false,
            "timestamp": "2026-11-30T10:00:00.000000+00:00", "author": user(author, bot: bot), "mentions": .array(mentioned),
        ]
        if let guild {
            data["guild_id"] = .string(guild)
            data["member"] = ["roles": ["R1"], "nick": .null]
        }
        return data
    }

    static func user(_ id: String, bot: Bool = false) -> JSONValue {
        ["id": .string(id), "username": "mason", "global_name": "Mason", "bot": .bool(bot)]
    }
}

/// How a Gateway under test ended.
actor GatewayRun {
    private(set) var hasEnded = false
    private(set) var error: (any Error)?

    func end(_ error: (any Error)?) {
        hasEnded = true
        self.error = error
    }
}
