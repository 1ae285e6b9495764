import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// The console's operations data (`/console/operations`) against the real engine and SQLite store:
/// what waits for approval and who may approve it, what ran and how it ended, the audit chain's
/// state, schedules and health; and who may see it.
@Suite("Web console operations")
struct OperationsRouteTests {
    let routes = WebChatRouteTests()

    /// A bot where alice and bob lead (so alice may not approve her own request), carol administers,
    /// and a nightly status is scheduled.
    func runtime(users: [String: String] = [:]) throws -> BotRuntime {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var yaml = """
            commands: \(TestBot.repositoryRoot.appendingPathComponent("commands").path)
            store: {sqlite: bot.sqlite}
            roles:
              ml-engineer: {users: [alice]}
              ml-lead: {users: [alice, bob], groups: [slack:SLEADS]}
              admin: {users: [carol]}
            schedules:
              - {name: nightly, cron: "0 2 * * *", command: status, as: alice, platform: webchat, channel: ops}
            """
        if !users.isEmpty {
            yaml +=
                "\nwebchat:\n  users:\n"
                + users.map { "    \($0.key): {token_sha256: \(WebChatRouteTests.sha256($0.value))}" }.joined(separator: "\n")
        }
        try yaml.write(to: dir.appendingPathComponent("chatops.yaml"), atomically: true, encoding: .utf8)
        return try BotRuntime.make(configPath: dir.appendingPathComponent("chatops.yaml").path, logger: Logger(label: "test"))
    }

    func operations(_ client: some TestClientProtocol) async throws -> [String: Any] {
        try await client.execute(uri: "/console/operations", method: .get) { response in
            #expect(response.status == .ok)
            return try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
        }
    }

    func say(_ text: String, as user: String, _ client: some TestClientProtocol) async throws {
        let body = try routes.json(["user": user, "text": text, "channel": "ops"])
        try await client.execute(uri: "/chat/messages", method: .post, headers: WebChatRouteTests.jsonHeaders, body: body) {
            #expect($0.status == .accepted)
        }
    }

    /// Clicks the newest button of `kind` in the transcript as `user`.
    func click(_ kind: String, as user: String, _ client: some TestClientProtocol) async throws {
        let messages = try await routes.transcript(client, channel: "ops")
        let card = try #require(messages.last { (($0["reply"] as? [String: Any])?["buttons"] as? [[String: Any]])?.isEmpty == false })
        let buttons = try #require((card["reply"] as? [String: Any])?["buttons"] as? [[String: Any]])
        let value = try #require(buttons.first { $0["kind"] as? String == kind }?["value"] as? String)
        let thread = (card["thread"] as? String) ?? "\(card["id"] ?? "")"
        let body = try routes.json(["user": user, "channel": "ops", "thread": thread, "action": kind, "value": value])
        try await client.execute(uri: "/chat/actions", method: .post, headers: WebChatRouteTests.jsonHeaders, body: body) {
            #expect($0.status == .accepted)
        }
    }

    /// Runs jobs until the newest command reaches `state` (the application's workers may run them too).
    func newestCommand(reaching state: String, _ runtime: BotRuntime, _ client: some TestClientProtocol) async throws -> [String: Any] {
        var newest: [String: Any] = [:]
        for _ in 0..<150 {
            await runtime.drain()
            newest = (try await operations(client)["commands"] as? [[String: Any]])?.first ?? [:]
            if newest["state"] as? String == state { return newest }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the newest command never reached \(state): \(newest)")
        return newest
    }

    @Test func approvalsCommandsHealthSchedulesAndTheAuditChainAsTheyHappen() async throws {
        let runtime = try runtime()
        let app = runtime.buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            try await say("deploy fraud-model v12 --env prod", as: "alice", client)
            let waiting = try await newestCommand(reaching: "awaiting approval", runtime, client)
            let approvals = try #require(try await operations(client)["approvals"] as? [[String: Any]])
            #expect(approvals.count == 1)
            let pending = try #require(approvals.first)
            #expect(pending["command"] as? String == "deploy fraud-model v12 --env prod")
            #expect(
                pending["may_approve"] as? [String] == ["bob", "anyone in slack:SLEADS"], "the requester is not among those who may approve")
            #expect(pending["approvers"] as? String == "1 × ml-lead" && pending["id"] as? String == waiting["approval"] as? String)
            #expect((pending["expires_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }.map { $0 > Date() } == true)

            try await click("approve", as: "bob", client)
            let ran = try await newestCommand(reaching: "succeeded", runtime, client)
            #expect(ran["command"] as? String == "deploy fraud-model v12 --env prod" && ran["actor"] as? String == "webchat:alice")
            #expect((ran["headline"] as? String)?.contains("Deployed fraud-model v12 to prod") == true && ran["duration_ms"] is Int)
            let snapshot = try await operations(client)
            #expect((snapshot["approvals"] as? [Any])?.isEmpty == true)
            let components = try #require((snapshot["health"] as? [String: Any])?["components"] as? [[String: Any]])
            let sandbox = try #require(components.first { $0["kind"] as? String == "backend" && $0["name"] as? String == "sandbox" })
            #expect(sandbox["last_success"] is String && sandbox["last_error"] == nil)
            #expect((sandbox["circuit"] as? [String: Any])?["open"] as? Bool == false)
            #expect(components.contains { $0["kind"] as? String == "platform" && $0["name"] as? String == "webchat" && $0["last_success"] is String })
            var audit = try #require(snapshot["audit"] as? [String: Any])
            #expect(audit["intact"] as? Bool == true)
            // Open pages share a snapshot for a second: a later one counts every event the store holds.
            var stored = -1
            for _ in 0..<40 {
                stored = try await runtime.store.auditEvents().count
                audit = try #require(try await operations(client)["audit"] as? [String: Any])
                if audit["events"] as? Int == stored { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(audit["events"] as? Int == stored)
            let schedule = try #require((snapshot["schedules"] as? [[String: Any]])?.first)
            let next = try #require((schedule["next_firing"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(schedule["name"] as? String == "nightly" && next > Date() && Calendar(identifier: .gregorian).component(.minute, from: next) == 0)

            try await say("deploy fraud-model v13 --env prod", as: "alice", client)
            _ = try await newestCommand(reaching: "awaiting approval", runtime, client)
            try await click("reject", as: "bob", client)
            let rejected = try await newestCommand(reaching: "rejected", runtime, client)
            #expect(rejected["command"] as? String == "deploy fraud-model v13 --env prod" && rejected["duration_ms"] == nil)

            // An approved run that gave up is shown as failed against the command that asked for it.
            try await say("deploy fraud-model v14 --env prod", as: "alice", client)
            let held = try #require(try await newestCommand(reaching: "awaiting approval", runtime, client)["approval"] as? String)
            let run = Job(
                id: "run-\(held)", dedupeKey: "approval:\(held):run", payload: .runApproved(approvalID: held), state: .running, attempts: 5,
                createdAt: Date())
            await runtime.engine.reportFailure(of: run, attempts: 5)
            let gaveUp = try await newestCommand(reaching: "failed", runtime, client)
            #expect(gaveUp["headline"] as? String == "the approved run gave up after 5 attempts" && gaveUp["approval"] as? String == held)

            // A token someone typed reaches the audit log, never the page.
            let token = "xoxb-123456789012-abcdefghijkl"
            try await say("deploy fraud-model \(token)", as: "alice", client)
            _ = try await newestCommand(reaching: "succeeded", runtime, client)
            let page = try await client.execute(uri: "/console/operations", method: .get) { String(buffer: $0.body) }
            #expect(!page.contains(token) && page.contains("deploy fraud-model"), "the command and its audit details are redacted")
            #expect(
                try await runtime.store.auditEvents().contains { $0.details.values.contains { $0.contains(token) } }, "the log keeps what was typed")

            let store = try #require(runtime.store as? SQLiteStore)
            try await store.executeForTesting(#"UPDATE audit SET details = '{"x":"y"}' WHERE sequence = 3"#)
            // Open pages share a snapshot for a second: the next one checks the changed chain.
            for _ in 0..<40 {
                audit = try #require(try await operations(client)["audit"] as? [String: Any])
                if audit["intact"] as? Bool == false { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(audit["intact"] as? Bool == false)
            #expect((audit["problem"] as? String)?.contains("broken at event 3") == true, "\(audit["problem"] ?? "")")
        }
    }

    @Test func withTokensOnlyTheAdminRoleSeesOperations() async throws {
        let app = try runtime(users: ["alice": "alice-token", "carol": "carol-token"]).buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            try await client.execute(uri: "/console/operations", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(
                uri: "/console/operations", method: .get,
                headers: [.authorization: "Bearer carol-token", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            ) {
                #expect($0.status == .forbidden, "another site's page cannot read it through an admin's browser")
            }
            try await client.execute(uri: "/console/operations", method: .get, headers: [.authorization: "Bearer alice-token"]) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("`admin` role"))
            }
            try await client.execute(uri: "/console/operations", method: .get, headers: [.authorization: "Bearer carol-token"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"audit\""))
            }
        }
    }
}
