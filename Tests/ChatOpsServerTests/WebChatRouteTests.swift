import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@Suite("Web chat and operational routes")
struct WebChatRouteTests {
    func runtime(users: [String: String] = [:], host: String? = nil, extra: String = "") throws -> BotRuntime {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var yaml = """
            commands: \(TestBot.repositoryRoot.appendingPathComponent("commands").path)
            store: {sqlite: bot.sqlite}
            server: {max_body_bytes: 2048\(host.map { ", host: \"\($0)\"" } ?? "")}
            roles:
              ml-engineer: {users: [alice], groups: [slack:SENG]}
              ml-lead: {users: [bob]}
            """ + extra
        if !users.isEmpty {
            yaml += "\nwebchat:\n  users:\n" + users.map { "    \($0.key): {token_sha256: \(Self.sha256($0.value))}" }.joined(separator: "\n")
        }
        try yaml.write(to: dir.appendingPathComponent("chatops.yaml"), atomically: true, encoding: .utf8)
        return try BotRuntime.make(configPath: dir.appendingPathComponent("chatops.yaml").path, logger: Logger(label: "test"))
    }

    /// The header every JSON post carries.
    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    func transcript(_ client: some TestClientProtocol, channel: String) async throws -> [[String: Any]] {
        try await client.execute(uri: "/chat/messages?channel=\(channel)", method: .get, headers: [.authorization: "Bearer alice-token"]) {
            response in
            try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]] ?? []
        }
    }

    func json(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    @Test func healthReadinessAndMetricsAnswer() async throws {
        let app = try runtime().buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
        }
    }

    @Test func aMessageIsStoredAsAJobBeforeItIsAcknowledged() async throws {
        let runtime = try runtime()
        let app = runtime.buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            let body = try json(["user": "alice", "text": "deploy fraud v1", "channel": "ops", "id": "m-1"])
            var jobID = ""
            try await client.execute(uri: "/chat/messages", method: .post, headers: Self.jsonHeaders, body: body) { response in
                #expect(response.status == .accepted)
                let reply = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                jobID = reply?["job"] as? String ?? ""
                #expect(reply?["duplicate"] as? Bool == false)
            }
            #expect(try await runtime.store.queueDepth() == 1)
            try await client.execute(uri: "/chat/messages", method: .post, headers: Self.jsonHeaders, body: body) { response in
                let reply = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(reply?["duplicate"] as? Bool == true)
                #expect(reply?["job"] as? String == jobID)
            }
            #expect(try await runtime.store.queueDepth() == 1, "a repeated delivery is not queued twice")
            // The application's own workers may have claimed the job first: wait for the result either way.
            var messages: [[String: Any]] = []
            for _ in 0..<100 {
                await runtime.drain()
                try await client.execute(uri: "/chat/messages?channel=ops", method: .get) { response in
                    messages = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]] ?? []
                }
                if messages.contains(where: { ($0["text"] as? String)?.contains("Deployed fraud v1 to staging") == true }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(messages.first?["author"] as? String == "alice")
            #expect(messages.contains { ($0["text"] as? String)?.contains("Deployed fraud v1 to staging") == true })
        }
    }

    @Test func oversizedAndMalformedBodiesAreRefusedAndTheServerKeepsServing() async throws {
        let app = try runtime().buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            let huge = try json(["user": "alice", "text": String(repeating: "x", count: 10_000)])
            try await client.execute(uri: "/chat/messages", method: .post, headers: Self.jsonHeaders, body: huge) {
                #expect($0.status == .contentTooLarge)
            }
            try await client.execute(uri: "/chat/messages", method: .post, headers: Self.jsonHeaders, body: ByteBuffer(string: "{not json")) {
                response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("malformed JSON"))
            }
            try await client.execute(uri: "/chat/messages", method: .post, headers: Self.jsonHeaders, body: try json(["text": "hi"])) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("user"))
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func aWrongTokenGets401AndAnAuditEntryAndRunsNothing() async throws {
        let runtime = try runtime(users: ["alice": "alice-token", "bob": "bob-token"])
        let app = runtime.buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            let body = try json(["text": "deploy fraud v1"])
            try await client.execute(
                uri: "/chat/messages", method: .post, headers: [.authorization: "Bearer wrong", .contentType: "application/json"], body: body
            ) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/chat/messages", method: .post, headers: Self.jsonHeaders, body: body) {
                #expect($0.status == .unauthorized)
            }
            #expect(try await runtime.store.queueDepth() == 0)
            #expect(try await runtime.store.auditEvents().filter { $0.kind == "auth.rejected" }.count == 2)
            try await client.execute(
                uri: "/chat/messages", method: .post, headers: [.authorization: "Bearer alice-token", .contentType: "application/json"], body: body
            ) {
                #expect($0.status == .accepted)
            }
        }
    }

    @Test func theSenderIsTheTokensOwnerNeverTheBody() async throws {
        let runtime = try runtime(users: ["alice": "alice-token", "bob": "bob-token"])
        let app = runtime.buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            // Alice's token cannot speak as bob.
            let asBob = try json(["user": "bob", "text": "approve abc123", "channel": "ops"])
            try await client.execute(
                uri: "/chat/messages", method: .post, headers: [.authorization: "Bearer alice-token", .contentType: "application/json"], body: asBob
            ) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(
                uri: "/chat/messages", method: .post, headers: [.authorization: "Bearer bob-token", .contentType: "application/json"],
                body: try json(["text": "hello", "channel": "ops"])
            ) {
                #expect($0.status == .accepted)
            }
            let messages = try await transcript(client, channel: "ops")
            // The bot's own answer may already be there, whichever worker ran the job: only people's messages count.
            let authors = messages.compactMap { $0["author"] as? String }.filter { $0 != "bot" }
            #expect(authors == ["bob"], "the message is bob's, named by his token")
            // Message ids belong to their sender: alice cannot take bob's next id to have his message dropped.
            for (token, expected) in [("alice-token", false), ("bob-token", false), ("bob-token", true)] {
                let body = try json(["text": "status", "channel": "ops", "id": "m-42"])
                try await client.execute(
                    uri: "/chat/messages", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: body
                ) { response in
                    let reply = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                    #expect(reply?["duplicate"] as? Bool == expected, "\(token)")
                }
            }
        }
    }

    @Test func groupsInTheBodyAreIgnoredAndTheBotsNameCannotBeTaken() async throws {
        let runtime = try runtime()
        let app = runtime.buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            for name in ["bot", "chatops", "Chatops"] {
                try await client.execute(
                    uri: "/chat/messages", method: .post, headers: Self.jsonHeaders, body: try json(["user": name, "text": "status"])
                ) { response in
                    #expect(response.status == .badRequest, "\(name)")
                    #expect(String(buffer: response.body).contains("bot's own name"))
                }
            }
            // Eve names a Slack group of engineers: the web chat does not pass it on.
            let body = try json(["user": "eve", "groups": ["slack:SENG"], "text": "deploy fraud v1", "channel": "ops"])
            try await client.execute(uri: "/chat/messages", method: .post, headers: Self.jsonHeaders, body: body) { #expect($0.status == .accepted) }
            var texts: [String] = []
            for _ in 0..<100 {
                await runtime.drain()
                texts = try await client.execute(uri: "/chat/messages?channel=ops", method: .get) { response in
                    (try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]] ?? []).compactMap {
                        $0["text"] as? String
                    }
                }
                if texts.count > 1 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(texts.contains { $0.contains("you can't run this") }, "\(texts)")
            #expect(try await runtime.store.auditEvents().contains { $0.kind == "action.start" } == false)
        }
    }

    @Test func anExposedWebChatNeedsPerUserTokens() throws {
        let error = #expect(throws: ValidationFailure.self) { try runtime(host: "0.0.0.0") }
        #expect(error?.issues.contains { $0.message.contains("without per-user tokens") } == true)
        let shared = #expect(throws: ValidationFailure.self) { try runtime(extra: "\nwebchat: {token: change-me}") }
        #expect(shared?.issues.contains { $0.message.contains("webchat.users") } == true, "the shared token is refused, not ignored")
        _ = try runtime(users: ["alice": "alice-token"], host: "0.0.0.0")
        _ = try runtime(host: "0.0.0.0", extra: "\nwebchat: {enabled: false}")
    }

    @Test func theTranscriptComesInPages() async throws {
        let runtime = try runtime()
        for index in 0..<5 {
            _ = try await runtime.store.appendMessage(
                channel: "paged", thread: nil, author: "alice", reply: Reply(text: "m\(index)"), idempotencyKey: "p\(index)", at: Date())
        }
        let app = runtime.buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            let page = { (after: Int64) in
                try await client.execute(uri: "/chat/messages?channel=paged&limit=2&after=\(after)", method: .get) { response in
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]] ?? []
                }
            }
            let first = try await page(0)
            #expect(first.compactMap { $0["text"] as? String } == ["m0", "m1"])
            let second = try await page(first.last?["id"] as? Int64 ?? 0)
            #expect(second.compactMap { $0["text"] as? String } == ["m2", "m3"])
        }
    }
}
