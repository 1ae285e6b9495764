import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import DiscordAPIDouble
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Interactions shaped as Discord sends them (discord-api-docs, interactions/receiving-and-responding.mdx), kept in
/// Tests/Fixtures/discord. Each is signed when the test sends it, with a key the test generated.
enum DiscordFixture: String, Sendable {
    case ping = "ping.json"
    /// `/deploy model:fraud version:v12 env:prod` by alice, who holds the ml-engineer role, in #ml-ops.
    case commandDeploy = "command-deploy.json"
    /// bob, an ml-lead, clicks Approve on the approval request in the request's thread.
    case componentApprove = "component-approve.json"

    func body() throws -> String {
        try RecordedPayloads.body("discord", rawValue)
    }
}

/// How a request is signed (interactions/overview.mdx, Validating Security Request Headers).
enum DiscordSigning: String, Sendable {
    /// With the application's key, now.
    case valid
    /// With a key that is not the application's.
    case forged
    /// With the application's key, then one byte of the body changed.
    case tampered
    /// With the application's key, ten minutes ago.
    case stale
    /// Without the signature and timestamp headers.
    case missing
}

/// A bot with Discord turned on, served in-process through its router. Nothing here reaches Discord: the REST API
/// address is a closed port, and the workers look for jobs once an hour, so what a request stored stays in the jobs
/// table to be read back.
struct DiscordRouteBot: RoutedBot {
    static let path = "/discord/interactions"
    static let opsChannel = "1160000000000000010"
    static let approvalThread = "1160000000000000020"
    static let alice = "1170000000000000001"
    static let bob = "1170000000000000002"
    static let engineerRole = "1180000000000000001"
    static let leadRole = "1180000000000000002"
    let directory: URL
    let signer: DiscordSigner
    let runtime: BotRuntime

    init() async throws {
        signer = try await DiscordSigner.generate()
        let yaml = """
            commands: \(TestBot.repositoryRoot.appendingPathComponent("commands").path)
            store: {sqlite: bot.sqlite}
            workers: {poll_ms: 3600000}
            roles:
              ml-engineer: {groups: ["discord:\(Self.engineerRole)"]}
              ml-lead: {groups: ["discord:\(Self.leadRole)"]}
            discord:
              application_id: "1100000000000000001"
              public_key: "\(signer.publicKeyHex)"
              bot_token: discord-bot-token
              api_url: http://127.0.0.1:9/api/v10
            """
        (directory, runtime) = try Self.make(yaml, named: "discord-routes")
    }

    /// Posts `body` to the interactions endpoint as Discord does, signed as `signing` says.
    func post(_ body: String, signing: DiscordSigning = .valid, to client: any TestClientProtocol) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        var sent = body
        if signing != .missing {
            let timestamp = String(Int(Date().timeIntervalSince1970) - (signing == .stale ? 600 : 0))
            let key = signing == .forged ? try await DiscordSigner.generate() : signer
            for (name, value) in try await key.headers(body: body, timestamp: timestamp) { headers[HTTPField.Name(name)!] = value }
            if signing == .tampered { sent = Self.changingOneDigit(of: body) }
        }
        return try await client.execute(uri: Self.path, method: .post, headers: headers, body: ByteBuffer(string: sent))
    }

    /// Posts a fixture.
    func post(_ fixture: DiscordFixture, signing: DiscordSigning = .valid, to client: any TestClientProtocol) async throws -> TestResponse {
        try await post(try fixture.body(), signing: signing, to: client)
    }

    /// The body with its first digit changed (still JSON, no longer what was signed).
    static func changingOneDigit(of body: String) -> String {
        guard let index = body.firstIndex(where: \.isNumber) else { return body + " " }
        let replacement: String = body[index] == "1" ? "2" : "1"
        var changed = body
        changed.replaceSubrange(index...index, with: replacement)
        return changed
    }

}

extension TestResponse {
    /// The body read as JSON.
    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView)) }
}

@Suite("Discord's interactions endpoint, in-process")
struct DiscordRouteTests {
    @Test func aSignedPingIsAnsweredPongAndNothingIsStored() async throws {
        let bot = try await DiscordRouteBot()
        try await bot.serve { client async throws in
            let response = try await bot.post(.ping, to: client)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json", "Discord checks the endpoint URL's content type")
            #expect(response.json == ["type": 1])
            #expect(try bot.storedInbounds().isEmpty)
        }
    }

    @Test func aCommandItsSenderMayRunIsStoredOnceAndDeferredInTheChannel() async throws {
        let bot = try await DiscordRouteBot()
        let recorded = try JSONDecoder().decode(JSONValue.self, from: Data(try DiscordFixture.commandDeploy.body().utf8))
        try await bot.serve { client async throws in
            let response = try await bot.post(.commandDeploy, to: client)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.json == ["type": 5], "deferred where everyone sees it: the result follows")
            let stored = try bot.storedInbounds()
            #expect(stored.count == 1)
            let inbound = try #require(stored.first)
            #expect(inbound.text == "deploy model=fraud version=v12 env=prod")
            #expect(inbound.sender.qualifiedID == "discord:\(DiscordRouteBot.alice)")
            #expect(inbound.sender.groups == [DiscordRouteBot.engineerRole], "her roles, as the signed request asserts them")
            #expect(inbound.conversation.channel == DiscordRouteBot.opsChannel)
            #expect(inbound.conversation.thread == nil, "a text channel with a category is not a thread")
            #expect(inbound.conversation.replyToken == recorded["token"]?.string, "the deferred response is filled with the token")
            #expect(inbound.dedupeKey == "discord:interaction:\(recorded["id"]?.string ?? "")")
            guard case .command(let invocation) = try bot.runtime.engine.parser.parse(inbound.text ?? "") else {
                Issue.record("the stored text is the command")
                return
            }
            #expect(invocation.displayText == "deploy fraud v12 --env prod")
        }
    }

    @Test func aCommandItsSenderMayNotRunIsStoredAndDeferredPrivately() async throws {
        let bot = try await DiscordRouteBot()
        let alice = try DiscordFixture.commandDeploy.body()
        let mallory = alice.replacingOccurrences(of: #""id":"\#(DiscordRouteBot.alice)""#, with: #""id":"1170000000000000066""#)
            .replacingOccurrences(of: #""roles":["\#(DiscordRouteBot.engineerRole)"]"#, with: #""roles":[]"#)
        try #require(mallory.contains("1170000000000000066") && mallory.contains(#""roles":[]"#))
        try await bot.serve { client async throws in
            let response = try await bot.post(mallory, to: client)
            #expect(response.status == .ok)
            #expect(response.json == ["type": 5, "data": ["flags": 64]], "the channel does not see a command that will be refused")
            let stored = try bot.storedInbounds()
            #expect(stored.map(\.sender.userID) == ["1170000000000000066"], "the job still answers her, privately")
            #expect(stored.first?.conversation.replyToken?.hasPrefix("private:") == true)
        }
    }

    @Test(arguments: [DiscordFixture.commandDeploy, DiscordFixture.componentApprove])
    func aRedeliveryStoresNothingNewAndIsAnsweredTheSame(_ fixture: DiscordFixture) async throws {
        let bot = try await DiscordRouteBot()
        try await bot.serve { client async throws in
            let first = try await bot.post(fixture, to: client)
            let again = try await bot.post(fixture, to: client)
            #expect(first.status == .ok)
            #expect(again.status == first.status)
            #expect(again.body == first.body)
            #expect(try bot.storedInbounds().count == 1, "the same interaction id is stored once")
        }
    }

    @Test func aClickOnApproveIsStoredAsTheButtonInTheRequestsThread() async throws {
        let bot = try await DiscordRouteBot()
        try await bot.serve { client async throws in
            let response = try await bot.post(.componentApprove, to: client)
            #expect(response.status == .ok)
            #expect(response.json == ["type": 6], "acknowledged without a loading state")
            let inbound = try #require(try bot.storedInbounds().first)
            guard case .button(let button) = inbound.kind else {
                Issue.record("stored as \(inbound.kind), not as a button")
                return
            }
            #expect(button.kind == .approve)
            #expect(button.requestID == "k7q2m9")
            #expect(button.fingerprint == "0123456789abcdef")
            #expect(inbound.sender.qualifiedID == "discord:\(DiscordRouteBot.bob)")
            #expect(inbound.sender.groups == [DiscordRouteBot.leadRole])
            #expect(inbound.conversation.channel == DiscordRouteBot.opsChannel, "the thread's parent")
            #expect(inbound.conversation.thread == DiscordRouteBot.approvalThread)
            #expect(inbound.conversation.replyToken?.hasPrefix("click:") == true)
        }
    }

    @Test(arguments: [DiscordFixture.commandDeploy, DiscordFixture.componentApprove])
    func anAcceptedInteractionIsStoredBeforeItIsAnswered(_ fixture: DiscordFixture) async throws {
        let bot = try await DiscordRouteBot()
        try await bot.serve { client async throws in
            let response = try await bot.post(fixture, to: client)
            // Read the moment the answer arrives, without waiting: the job was written before the answer left.
            #expect(try bot.storedInbounds().count == 1)
            #expect(response.status == .ok)
        }
    }
}

@Suite("Discord's interactions endpoint, in-process: refused before anything is read")
struct DiscordRouteRefusalTests {
    @Test(arguments: [
        (DiscordSigning.forged, "bad_signature"), (DiscordSigning.tampered, "bad_signature"), (DiscordSigning.stale, "stale_timestamp"),
        (DiscordSigning.missing, "missing_signature"),
    ])
    func anUnverifiedRequestIsRefusedAuditedAndNotStored(_ signing: DiscordSigning, reason: String) async throws {
        let bot = try await DiscordRouteBot()
        try await bot.serve { client async throws in
            let response = try await bot.post(.commandDeploy, signing: signing, to: client)
            #expect(response.status == .unauthorized, "Discord's own checks expect 401")
            #expect(try bot.storedInbounds().isEmpty)
            let refusals = try await bot.rejections()
            #expect(refusals.count == 1)
            #expect(refusals.first?.details["reason"] == reason)
            #expect(refusals.first?.details["platform"] == "discord")
            #expect(refusals.first?.subject == "POST \(DiscordRouteBot.path)")
        }
    }

    @Test func anUnverifiedPingIsRefusedToo() async throws {
        let bot = try await DiscordRouteBot()
        try await bot.serve { client async throws in
            #expect(try await bot.post(.ping, signing: .forged, to: client).status == .unauthorized, "no PONG for a bad signature")
        }
    }

    @Test func aSignedBodyThatIsNotAnInteractionGets400AndTheServerGoesOn() async throws {
        let bot = try await DiscordRouteBot()
        try await bot.serve { client async throws in
            for body in ["{not json", #"{"type":2,"id":"1190000000000000009","application_id":"1100000000000000001"}"#] {
                let response = try await bot.post(body, to: client)
                #expect(response.status == .badRequest, "\(body)")
                let text = String(buffer: response.body)
                #expect(text.lowercased().contains("not a discord request"), "\(text)")
                for leak in ["DecodingError", "keyNotFound", "codingPath", "Swift."] {
                    #expect(!text.contains(leak), "the decoder's reason stays in the log: \(text)")
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            #expect(try await bot.post(.ping, to: client).json == ["type": 1], "still serving Discord")
            #expect(try bot.storedInbounds().isEmpty)
            #expect(try await bot.rejections().isEmpty, "a signed body is not a refusal")
        }
    }
}
