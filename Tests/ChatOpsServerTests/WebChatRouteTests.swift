import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@Suite("Web chat and operational routes")
struct WebChatRouteTests {
    func runtime(token: String? = nil) throws -> BotRuntime {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var yaml = """
            commands: \(TestBot.repositoryRoot.appendingPathComponent("commands").path)
            store: {sqlite: bot.sqlite}
            server: {max_body_bytes: 2048}
            roles:
              ml-engineer: {users: [alice]}
              ml-lead: {users: [bob]}
            """
        if let token { yaml += "\nwebchat: {token: \(token)}" }
        try yaml.write(to: dir.appendingPathComponent("chatops.yaml"), atomically: true, encoding: .utf8)
        return try BotRuntime.make(configPath: dir.appendingPathComponent("chatops.yaml").path, logger: Logger(label: "test"))
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
            try await client.execute(uri: "/chat/messages", method: .post, body: body) { response in
                #expect(response.status == .accepted)
                let reply = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                jobID = reply?["job"] as? String ?? ""
                #expect(reply?["duplicate"] as? Bool == false)
            }
            #expect(try await runtime.store.queueDepth() == 1)
            try await client.execute(uri: "/chat/messages", method: .post, body: body) { response in
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
            try await client.execute(uri: "/chat/messages", method: .post, body: huge) { #expect($0.status == .contentTooLarge) }
            try await client.execute(uri: "/chat/messages", method: .post, body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("malformed JSON"))
            }
            try await client.execute(uri: "/chat/messages", method: .post, body: try json(["text": "hi"])) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("user"))
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func aWrongTokenGets401AndAnAuditEntryAndRunsNothing() async throws {
        let runtime = try runtime(token: "correct-horse")
        let app = runtime.buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            let body = try json(["user": "alice", "text": "deploy fraud v1"])
            try await client.execute(uri: "/chat/messages", method: .post, headers: [.authorization: "Bearer wrong"], body: body) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/chat/messages", method: .post, body: body) { #expect($0.status == .unauthorized) }
            #expect(try await runtime.store.queueDepth() == 0)
            #expect(try await runtime.store.auditEvents().filter { $0.kind == "auth.rejected" }.count == 2)
            try await client.execute(uri: "/chat/messages", method: .post, headers: [.authorization: "Bearer correct-horse"], body: body) {
                #expect($0.status == .accepted)
            }
        }
    }
}
