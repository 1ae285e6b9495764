import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SlackAPIDouble
import Testing

/// Slack's requests as api.slack.com documents them, kept byte for byte in Tests/Fixtures/slack, each
/// with the request URL Slack sends it to.
enum SlackFixture: String, Sendable {
    case slashCommandDeploy = "slash-command-deploy.txt"
    case eventAppMention = "event-app-mention.json"
    case eventURLVerification = "event-url-verification.json"
    case eventThreadApprove = "event-thread-approve.json"
    case eventThreadChatter = "event-thread-chatter.json"
    case interactionApprove = "interaction-approve.txt"

    /// The request URL, at the default paths of `slack:`.
    var path: String {
        switch self {
        case .slashCommandDeploy: return "/slack/commands"
        case .interactionApprove: return "/slack/interactive"
        case .eventAppMention, .eventURLVerification, .eventThreadApprove, .eventThreadChatter: return "/slack/events"
        }
    }

    /// The body, byte for byte as recorded.
    func body() throws -> String {
        try RecordedPayloads.body("slack", rawValue)
    }
}

/// How a request is signed (api.slack.com/authentication/verifying-requests-from-slack).
enum SlackSigning: String, Sendable {
    /// With the app's signing secret, now.
    case valid
    /// With a secret that is not the app's.
    case forged
    /// With the app's secret, six minutes ago: a replay, outside the five minutes allowed.
    case stale
    /// Without the signature and timestamp headers.
    case missing
}

extension HTTPField.Name {
    static let slackRequestTimestamp = HTTPField.Name("X-Slack-Request-Timestamp")!
    static let slackSignature = HTTPField.Name("X-Slack-Signature")!
    static let slackRetryNum = HTTPField.Name("X-Slack-Retry-Num")!
    static let slackRetryReason = HTTPField.Name("X-Slack-Retry-Reason")!
}

/// A bot with Slack turned on, served in-process through its router. Nothing here reaches Slack:
/// the Web API address is a closed port, and the workers look for jobs once an hour, so what a
/// request stored stays in the jobs table to be read back.
struct SlackRouteBot: RoutedBot {
    static let signingSecret = "route-test-signing-secret"
    static let maxBodyBytes = 8_192
    let directory: URL
    let runtime: BotRuntime

    init() throws {
        let yaml = """
            commands: \(TestBot.repositoryRoot.appendingPathComponent("commands").path)
            store: {sqlite: bot.sqlite}
            server: {max_body_bytes: \(Self.maxBodyBytes)}
            workers: {poll_ms: 3600000}
            roles:
              ml-engineer: {users: [slack:U0ALICE]}
              ml-lead: {users: [slack:U0BOB]}
            slack: {signing_secret: \(Self.signingSecret), bot_token: xoxb-test, api_url: "http://127.0.0.1:9/api/"}
            """
        (directory, runtime) = try Self.make(yaml, named: "slack-routes")
    }

}

extension TestClientProtocol {
    /// Posts `body` to `path` as Slack does, signed by slack_sdk (`ReferenceSigner`) as `signing` says.
    func slack(_ path: String, body: String, signing: SlackSigning = .valid, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: path.hasSuffix("/events") ? "application/json" : "application/x-www-form-urlencoded"]
        if signing != .missing {
            let timestamp = String(Int(Date().timeIntervalSince1970) - (signing == .stale ? 360 : 0))
            let secret = signing == .forged ? "a-secret-that-is-not-the-apps" : SlackRouteBot.signingSecret
            headers[.slackRequestTimestamp] = timestamp
            headers[.slackSignature] = try await ReferenceSigner.sign(body: body, timestamp: timestamp, secret: secret)
        }
        headers.append(contentsOf: extra)
        return try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Posts a recorded request to its request URL.
    func slack(_ fixture: SlackFixture, signing: SlackSigning = .valid, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await slack(fixture.path, body: try fixture.body(), signing: signing, headers: headers)
    }
}

@Suite("Slack's request URLs, in-process: what is stored")
struct SlackRouteTests {
    @Test func aSlashCommandItsSenderMayRunIsStoredOnceAndShownInTheChannel() async throws {
        let bot = try SlackRouteBot()
        try await bot.serve { client async throws in
            let response = try await client.slack(.slashCommandDeploy)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"response_type":"in_channel"}"#)
            #expect(response.headers[.contentType] == "application/json")
            let stored = try bot.storedInbounds()
            #expect(stored.count == 1)
            let inbound = try #require(stored.first)
            #expect(inbound.text == "/deploy fraud v12 --env prod")
            #expect(inbound.sender.qualifiedID == "slack:U0ALICE")
            #expect(inbound.conversation.channel == "C0OPS")
            #expect(inbound.conversation.replyToken?.hasPrefix("https://hooks.slack.com/commands/") == true, "private answers go to response_url")
        }
    }

    @Test func aSlashCommandItsSenderMayNotRunIsStoredAndAcknowledgedPrivately() async throws {
        let bot = try SlackRouteBot()
        let alice = try SlackFixture.slashCommandDeploy.body()
        let mallory = alice.replacingOccurrences(of: "user_id=U0ALICE&user_name=alice", with: "user_id=U0MALLORY&user_name=mallory")
        try #require(mallory != alice)
        try await bot.serve { client async throws in
            let response = try await client.slack(SlackFixture.slashCommandDeploy.path, body: mallory)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0, "an empty acknowledgement: the channel does not see a command that will be refused")
            #expect(try bot.storedInbounds().map(\.sender.userID) == ["U0MALLORY"], "the job still answers her, privately")
        }
    }

    @Test(arguments: [SlackFixture.slashCommandDeploy, .eventAppMention])
    func aRedeliveryStoresNothingNewAndIsAnsweredTheSame(_ fixture: SlackFixture) async throws {
        let bot = try SlackRouteBot()
        try await bot.serve { client async throws in
            let first = try await client.slack(fixture)
            let retry = try await client.slack(fixture, headers: [.slackRetryNum: "1", .slackRetryReason: "http_timeout"])
            #expect(first.status == .ok)
            #expect(retry.status == first.status)
            #expect(retry.body == first.body)
            #expect(try bot.storedInbounds().count == 1)
        }
    }

    @Test func aMentionIsStoredWithoutTheMention() async throws {
        let bot = try SlackRouteBot()
        try await bot.serve { client async throws in
            let response = try await client.slack(.eventAppMention)
            #expect(response.status == .ok)
            let inbound = try #require(try bot.storedInbounds().first)
            #expect(inbound.text == "status", "the parser reads the command, not Slack's <@U0BOT>")
            #expect(inbound.sender.userID == "U0ALICE")
            #expect(inbound.replyThread == "1718000000.000200", "the answer starts a thread on the mention")
            #expect(inbound.dedupeKey == "slack:event:Ev0MENTION01")
        }
    }

    @Test func anAnswerInAThreadIsStored() async throws {
        let bot = try SlackRouteBot()
        try await bot.serve { client async throws in
            #expect(try await client.slack(.eventThreadApprove).status == .ok)
            let inbound = try #require(try bot.storedInbounds().first)
            #expect(inbound.text == "approve")
            #expect(inbound.sender.userID == "U0BOB")
            #expect(inbound.conversation.thread == "1718000100.000300")
        }
    }

    @Test func aButtonClickIsStoredAsTheButton() async throws {
        let bot = try SlackRouteBot()
        try await bot.serve { client async throws in
            let response = try await client.slack(.interactionApprove)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
            let inbound = try #require(try bot.storedInbounds().first)
            guard case .button(let button) = inbound.kind else {
                Issue.record("stored as \(inbound.kind), not as a button")
                return
            }
            #expect(button.kind == .approve)
            #expect(button.requestID == "k7q2m9")
            #expect(button.fingerprint == "0123456789abcdef")
            #expect(inbound.sender.userID == "U0BOB")
            #expect(inbound.conversation.thread == "1718000100.000300", "the answer goes to the approval's thread")
        }
    }
}
