import AsyncHTTPClient
import ChatOpsCore
import DiscordAPIDouble
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Someone in the test server, as an interaction's `member` names them. The user ids are the bare ids `BotProcess`
/// gives roles to (alice is an ml-engineer, bob an ml-lead); the role ids are Discord's, which those roles do not name.
struct DiscordPerson: Sendable {
    var id: String
    var nick: String
    var roles: [String]

    /// Her nickname carries a broadcast mention, which every message naming her must defuse.
    static let alice = DiscordPerson(id: "alice", nick: "Alice @here", roles: ["1180000000000000001"])
    static let bob = DiscordPerson(id: "bob", nick: "Bob", roles: ["1180000000000000002"])

    var member: JSONValue {
        [
            "user": ["id": .string(id), "username": .string(id), "discriminator": "0", "global_name": .null, "avatar": .null],
            "nick": .string(nick), "roles": .array(roles.map(JSONValue.string)), "permissions": "1829587348619263",
            "joined_at": "2025-03-04T09:12:44.120000+00:00", "deaf": false, "mute": false, "pending": false, "flags": 0,
        ]
    }
}

/// Interactions as Discord sends them to the Interactions Endpoint URL, signed by PyNaCl.
struct DiscordSender {
    static let application = "1100000000000000001"
    static let guild = "1150000000000000001"
    let baseURL: String
    let signer: DiscordSigner

    struct Answer {
        var status: HTTPResponseStatus
        var body: String
        var contentType: String?
        /// From sending the request to the end of the answer (signing not included).
        var elapsed: Duration
        var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) }
    }

    /// Posts `body`, signed by `key` (the application's by default) at `time`.
    func post(_ body: String, signedBy key: DiscordSigner? = nil, at time: Date = Date()) async throws -> Answer {
        let headers = try await (key ?? signer).headers(body: body, timestamp: String(Int(time.timeIntervalSince1970)))
        var request = HTTPClientRequest(url: baseURL + "/discord/interactions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let started = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let elapsed = ContinuousClock.now - started
        return Answer(status: response.status, body: text, contentType: response.headers.first(name: "Content-Type"), elapsed: elapsed)
    }

    /// A slash command with string options, typed in `channel`.
    static func command(
        id: String, token: String, by person: DiscordPerson, in channel: String, _ name: String, _ options: KeyValuePairs<String, String>
    ) throws -> String {
        let values = options.map { option -> JSONValue in ["name": .string(option.key), "type": 3, "value": .string(option.value)] }
        return try interaction(
            id: id, type: 2, token: token, by: person, in: channel,
            [
                "data": ["id": "1200000000000000001", "name": .string(name), "type": 1, "options": .array(values)]
            ])
    }

    /// A click on a button of `message`, which is in `channel`.
    static func click(
        id: String, token: String, by person: DiscordPerson, in channel: String, on message: String, customID: String
    ) throws -> String {
        try interaction(
            id: id, type: 3, token: token, by: person, in: channel,
            [
                "data": ["custom_id": .string(customID), "component_type": 2],
                "message": ["id": .string(message), "channel_id": .string(channel), "type": 0, "flags": 0],
            ])
    }

    private static func interaction(
        id: String, type: Int, token: String, by person: DiscordPerson, in channel: String, _ fields: [String: JSONValue]
    ) throws -> String {
        var body: [String: JSONValue] = [
            "id": .string(id), "type": .number(Double(type)), "application_id": .string(application), "token": .string(token), "version": 1,
            "guild_id": .string(guild), "channel_id": .string(channel), "channel": ["id": .string(channel), "type": 0, "guild_id": .string(guild)],
            "member": person.member, "app_permissions": "2248473465835073", "locale": "en-US", "guild_locale": "en-US", "context": 0,
            "entitlements": [],
        ]
        body.merge(fields) { $1 }
        return String(decoding: try JSONValue.object(body).data(), as: UTF8.self)
    }
}

extension DiscordAPIDouble {
    /// Every message and edit the bot sent: channel posts and edits, the deferred responses and follow-ups.
    var messageWrites: [Call] {
        ["/channels/*/messages", "/channels/*/messages/*", "/webhooks/*/*", "/webhooks/*/*/messages/*"].flatMap { calls(matching: $0) }
            .filter { $0.method == "POST" || $0.method == "PATCH" }
    }

    /// The messages, after every edit, in these channels and threads.
    func messages(in places: [String]) -> [Message] { places.flatMap { messages(in: $0) } }
}

@Suite("Discord, end to end against chatops serve", .serialized)
struct DiscordEndToEndTests {
    static let channel = "1160000000000000010"

    static func configuration(_ double: DiscordAPIDouble, _ signer: DiscordSigner) -> String {
        """
        discord: {application_id: "\(double.applicationID)", public_key: "\(signer.publicKeyHex)", bot_token: \(double.token), \
        api_url: "\(double.baseURL)", channel_interval_ms: 10}
        """
    }

    @Test(.timeLimit(.minutes(3)))
    func aProdDeployIsApprovedByALeadAndRunsOnceInItsThread() async throws {
        try await DiscordAPIDouble.run { double in
            let signer = try await DiscordSigner.generate()
            let bot = try BotProcess(extraConfiguration: Self.configuration(double, signer))
            try await bot.start()
            let discord = DiscordSender(baseURL: bot.baseURL, signer: signer)
            let channel = Self.channel

            // alice's /deploy is deferred in the channel within Discord's three seconds.
            double.openInteraction(token: "token-deploy", channel: channel)
            let deploy = try DiscordSender.command(
                id: "1190000000000000001", token: "token-deploy", by: .alice, in: channel, "deploy",
                ["model": "fraud", "version": "v12", "env": "prod"])
            let deferred = try await discord.post(deploy)
            #expect(deferred.status == .ok)
            #expect(deferred.elapsed < .seconds(3), "answered within Discord's deadline")
            #expect(deferred.contentType == "application/json")
            #expect(deferred.json == ["type": 5])

            // The approval request fills the deferred response, with its buttons; a thread starts from it.
            let request = try await eventually("the approval request in the deferred response") {
                double.messages(in: channel).first { $0.interactionToken == "token-deploy" && !$0.components.isEmpty }
            }
            #expect(request.content.contains("deploy fraud v12 --env prod"), "shows exactly what will run: \(request.content)")
            let customIDs = request.components.flatMap { $0["components"]?.array ?? [] }.compactMap { $0["custom_id"]?.string }
            #expect(customIDs.count == 2)
            #expect(customIDs.allSatisfy { $0.count <= 100 && ButtonAction(payload: $0) != nil }, "\(customIDs)")
            let approve = try #require(customIDs.first { $0.hasPrefix("approve:") })
            let thread = try await eventually("the request's thread") { double.threads.first { $0.id == request.id } }
            #expect(thread.parentID == channel)

            // alice may not approve her own request: she is told, nothing runs.
            double.openInteraction(token: "token-click-alice", channel: channel, message: request.id)
            let own = try DiscordSender.click(
                id: "1190000000000000002", token: "token-click-alice", by: .alice, in: channel, on: request.id, customID: approve)
            let ownAnswer = try await discord.post(own)
            #expect(ownAnswer.status == .ok)
            #expect(ownAnswer.json == ["type": 6])
            let refusal = try await eventually("the refusal") {
                double.messages(in: [channel, thread.id]).first { $0.content.contains("approve your own request") }
            }
            #expect(refusal.isEphemeral, "said to her alone, as an error reply is")
            #expect(!double.messages(in: thread.id).contains { $0.content.contains("Running") }, "nothing ran")
            #expect(double.message(id: request.id)?.components.isEmpty == false, "the request still waits for a lead")

            // bob, an ml-lead, approves: the command runs once, its progress and result in the thread.
            double.openInteraction(token: "token-click-bob", channel: channel, message: request.id)
            let lead = try DiscordSender.click(
                id: "1190000000000000003", token: "token-click-bob", by: .bob, in: channel, on: request.id, customID: approve)
            #expect(try await discord.post(lead).json == ["type": 6])
            _ = try await eventually("the result in the thread", seconds: 60) {
                double.messages(in: thread.id).first { $0.content.contains("Deployed fraud v12 to prod") }
            }
            #expect(double.messages(in: thread.id).contains { $0.content.contains("deploy fraud v12 --env prod") }, "the progress message")
            let approved = try await eventually("the request marked approved") {
                double.message(id: request.id).flatMap { $0.content.contains("Approved") && $0.components.isEmpty ? $0 : nil }
            }
            #expect(approved.content.contains("Bob"), "names who approved")

            // A second click after the run changes nothing.
            double.openInteraction(token: "token-click-bob-2", channel: channel, message: request.id)
            let again = try DiscordSender.click(
                id: "1190000000000000004", token: "token-click-bob-2", by: .bob, in: channel, on: request.id, customID: approve)
            #expect(try await discord.post(again).status == .ok)
            try await Task.sleep(for: .seconds(1))
            #expect(double.messages(in: [channel, thread.id]).filter { $0.content.contains("Deployed fraud v12 to prod") }.count == 1)

            // Nothing the bot sent could notify anyone, and it never called an exhausted bucket.
            let writes = double.messageWrites
            #expect(!writes.isEmpty)
            for write in writes {
                #expect(write.body["allowed_mentions"] == ["parse": []], "\(write.method) \(write.path)")
                let content = write.body["content"]?.string ?? ""
                #expect(content.range(of: "@(everyone|here)", options: [.regularExpression, .caseInsensitive]) == nil, "\(content)")
            }
            #expect(double.messages(in: [channel, thread.id]).contains { $0.content.contains("Alice @\u{2060}here") }, "her name, defused")
            #expect(double.violations.isEmpty, "\(double.violations.map { "\($0.method) \($0.path) \($0.early)s early" })")

            #expect(await bot.terminate() == 0)
            let runs = try await bot.runCLI(["audit", "export", "--kind", "action.start"]).output.split(separator: "\n")
            #expect(runs.count == 1, "the deploy ran exactly once: \(runs)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func forgedAndStaleInteractionsAreRefusedAndAudited() async throws {
        try await DiscordAPIDouble.run { double in
            let signer = try await DiscordSigner.generate()
            let bot = try BotProcess(extraConfiguration: Self.configuration(double, signer))
            try await bot.start()
            let discord = DiscordSender(baseURL: bot.baseURL, signer: signer)
            let deploy = try DiscordSender.command(
                id: "1190000000000000010", token: "token-forged", by: .alice, in: Self.channel, "deploy", ["model": "fraud", "version": "v1"])

            let stranger = try await DiscordSigner.generate()
            let forged = try await discord.post(deploy, signedBy: stranger)
            #expect(forged.status == .unauthorized)
            let stale = try await discord.post(deploy, at: Date().addingTimeInterval(-600))
            #expect(stale.status == .unauthorized)
            try await Task.sleep(for: .milliseconds(500))
            #expect(double.recorded.isEmpty, "nothing was posted for them")

            #expect(await bot.terminate() == 0)
            let refused = try await bot.runCLI(["audit", "export", "--kind", "auth.rejected"]).output.split(separator: "\n").map(String.init)
            #expect(refused.count == 2, "\(refused)")
            #expect(refused.contains { $0.contains("bad_signature") && $0.contains("discord") })
            #expect(refused.contains { $0.contains("stale_timestamp") })
            #expect(try await bot.runCLI(["audit", "export", "--kind", "action.start"]).output.isEmpty, "nothing ran")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func discordRegisterOverwritesTheSameCommandsEachTime() async throws {
        try await DiscordAPIDouble.run { double in
            let signer = try await DiscordSigner.generate()
            let bot = try BotProcess(extraConfiguration: Self.configuration(double, signer))
            let expected = try Self.repositoryCommandNames() + ["help", "approve", "reject", "unlock"]

            let first = try await bot.runCLI(["discord-register"])
            #expect(first.status == 0, "\(first.output)")
            #expect(first.output.contains("/deploy"), "says what it registered: \(first.output)")
            let registered = double.commands()
            #expect(registered.compactMap { $0["name"]?.string } == expected)

            let second = try await bot.runCLI(["discord-register"])
            #expect(second.status == 0, "\(second.output)")
            #expect(Self.withoutVersions(double.commands()) == Self.withoutVersions(registered), "the same commands, with the same ids")
            let puts = double.calls(matching: "/applications/*/commands", method: "PUT")
            #expect(puts.count == 2)
            #expect(puts.allSatisfy { $0.status == 200 && $0.authorization == "Bot \(double.token)" })

            let guild = try await bot.runCLI(["discord-register", "--guild", DiscordSender.guild])
            #expect(guild.status == 0, "\(guild.output)")
            #expect(double.commands(guild: DiscordSender.guild).compactMap { $0["name"]?.string } == expected)
            #expect(Self.withoutVersions(double.commands()) == Self.withoutVersions(registered), "the global commands are left as they were")
            #expect(try await bot.runCLI(["discord-register", "--guild", "not-a-server"]).status != 0)
        }
    }

    /// The names of the repository's command files, in name order.
    static func repositoryCommandNames() throws -> [String] {
        let folder = BotProcess.repositoryRoot.appendingPathComponent("commands")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        return try files.map { name in
            try CommandFile(file: name, text: String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)).spec.name
        }.sorted()
    }

    /// Commands without the `version` Discord changes on every overwrite.
    static func withoutVersions(_ commands: [JSONValue]) -> [JSONValue] {
        commands.map { command in
            var command = command
            command["version"] = nil
            return command
        }
    }
}
