import ChatOpsCore
import Foundation
import NIOHTTP1
import PostgresFixtures
import SlackAPIDouble
import Testing

/// Three `chatops serve` replicas on one PostgreSQL database, driven as Slack would drive them
/// through a load balancer: every command runs once, whichever replica took it, through platform
/// retries that land on another replica and a replica killed with SIGKILL midway; every approval
/// vote counts once; each schedule firing happens once, from the replica holding the leader lock.
@Suite("Replicas on PostgreSQL, end to end", .serialized)
struct ReplicaEndToEndTests {
    static let commands = 2_000
    static let approvals = 30

    @Test(.timeLimit(.minutes(12)))
    func everyCommandRunsOnceAcrossThreeReplicasThroughRetriesAndAKill() async throws {
        let database = try await PostgresTestServer.createDatabase()
        try await SlackAPIDouble.run { double in
            let cluster = try ReplicaCluster(
                count: 3, database: database,
                extraConfiguration: """
                    slack: {signing_secret: \(ReplicaCluster.secret), bot_token: \(double.token), api_url: "\(double.baseURL)", channel_interval_ms: 1}
                    schedules:
                      - {name: heartbeat, cron: "* * * * *", command: "status m-0 --env staging", platform: slack, channel: C_SCHED, as: U_ALICE}
                    """)
            // Started together: their migrations take turns under the advisory lock.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<3 { group.addTask { try await cluster.start(index) } }
                try await group.waitForAll()
            }
            let leader = try await eventually("one replica to lead the schedules") { try Self.leaders(cluster).first }
            #expect(try Self.leaders(cluster) == [leader], "exactly one replica leads")

            // Deploys to prod (approval first) and to staging (none), each its own command; one in ten is delivered again
            // to another replica.
            let staging = (0..<Self.commands).map { index in
                Self.slashCommand("m-\(index) v1 --env staging", channel: "C_\(index % 20)", trigger: "trig-\(index)", double: double)
            }
            let prod = (0..<Self.approvals).map { index in
                Self.slashCommand("p-\(index) v1 --env prod", channel: "C_PROD", trigger: "prod-\(index)", double: double)
            }
            let signed = try await SignedRequest.sign(prod + staging, secret: ReplicaCluster.secret)
            var killedAt = Date.distantFuture
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for lane in 0..<16 {
                    group.addTask {
                        var statuses: [Int] = []
                        for index in stride(from: lane, to: signed.count, by: 16) {
                            statuses.append(Int(try await cluster.post(signed[index], to: index % 3).code))
                            if index % 10 == 0 { statuses.append(Int(try await cluster.post(signed[index], to: (index + 1) % 3).code)) }
                        }
                        return statuses
                    }
                }
                // Midway, the leader is killed, and started again a few seconds later.
                _ = try await eventually("half the commands stored", seconds: 120) {
                    try await cluster.count("SELECT count(*)::text FROM jobs") >= Self.commands / 2 ? true : nil
                }
                killedAt = Date()
                cluster.kill(leader)
                try await Task.sleep(for: .seconds(3))
                try await cluster.start(leader)
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(statuses.count == signed.count + (0..<signed.count).filter { $0 % 10 == 0 }.count)
            #expect(statuses.allSatisfy { $0 == 200 }, "every delivery, first or again, was acknowledged: \(Set(statuses))")

            // The approver clicks each request: once on one replica, the same click again on another, and a second click on a third.
            let requests = try await eventually("every approval request posted", seconds: 300) {
                let found = double.calls("chat.postMessage").compactMap(Self.approvalButton)
                return found.count == Self.approvals ? found : nil
            }
            let clicks = requests.flatMap { request in
                (0..<2).map { _ in
                    (
                        path: "/slack/interactive",
                        body: SlackSender.clickBody(
                            "approve", value: request.value, user: "U_BOB", channel: "C_PROD", messageTS: request.ts,
                            responseURL: double.responseURL("click"))
                    )
                }
            }
            let signedClicks = try await SignedRequest.sign(clicks, secret: ReplicaCluster.secret)
            for (index, click) in signedClicks.enumerated() {
                let first = index % 2 == 0
                #expect(try await cluster.post(click, to: first ? 0 : 2) == .ok)
                if first { #expect(try await cluster.post(click, to: 1) == .ok, "the same click delivered again") }
            }

            _ = try await eventually("every job finished", seconds: 400) {
                try await cluster.count("SELECT count(*)::text FROM jobs WHERE state IN ('queued', 'running')") == 0 ? true : nil
            }
            try await Self.expectEachCommandRanOnce(cluster, double: double)
            try await Self.expectEachApprovalCountedOnce(cluster)
            try await Self.expectEachFiringOnce(cluster, double: double, after: killedAt, formerLeader: leader)
            for bot in cluster.bots { #expect(await bot.terminate() == 0) }
        }
        try await PostgresTestServer.dropDatabase(database)
    }

    static func slashCommand(_ text: String, channel: String, trigger: String, double: SlackAPIDouble) -> (path: String, body: String) {
        let fields = [
            ("team_id", "T1"), ("channel_id", channel), ("user_id", "U_ALICE"), ("user_name", "alice"), ("command", "/deploy"), ("text", text),
            ("response_url", double.responseURL(trigger)), ("trigger_id", trigger), ("api_app_id", "A1"),
        ]
        return ("/slack/commands", SlackSender.form(fields))
    }

    /// The Approve button's value and the message's ts, from an approval request the bot posted.
    static func approvalButton(_ call: SlackAPIDouble.Call) -> (value: String, ts: String)? {
        guard let ts = call.ts, let data = try? call.body.data() else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let range = text.range(of: #""value":"(approve:[a-z0-9]+:[0-9a-f]{16})""#, options: .regularExpression) else { return nil }
        return (String(text[range].dropFirst(9).dropLast()), ts)
    }

    /// The replicas whose logs say they took the schedules' leader lock.
    static func leaders(_ cluster: ReplicaCluster) throws -> [Int] {
        try cluster.bots.indices.filter { try cluster.bots[$0].log().contains("fires the schedules now") }
    }

    /// Each deploy changed the shared sandbox fleet once (revision 1), every job finished, and every
    /// command's result was posted; a post may repeat only for a job the killed replica was running.
    static func expectEachCommandRanOnce(_ cluster: ReplicaCluster, double: SlackAPIDouble) async throws {
        #expect(try await cluster.count("SELECT count(*)::text FROM jobs WHERE dedupe_key LIKE 'slack:command:%'") == commands + approvals)
        #expect(try await cluster.count("SELECT count(*)::text FROM jobs WHERE state <> 'done'") == 0)
        let fleetText = try #require(
            try await cluster.strings("SELECT convert_from(value, 'UTF8') FROM state WHERE namespace = 'sandbox.fleet'").first?.first ?? nil)
        let fleet = try #require(try JSONSerialization.jsonObject(with: Data(fleetText.utf8)) as? [String: Any])
        let deployments = try #require(fleet["deployments"] as? [String: [String: Any]])
        let revisions =
            (0..<commands).map { deployments["m-\($0)@staging"]?["revision"] as? Int }
            + (0..<approvals).map { deployments["p-\($0)@prod"]?["revision"] as? Int }
        #expect(
            revisions.allSatisfy { $0 == 1 },
            "each deploy applied once: \(Dictionary(grouping: revisions.map { $0 ?? 0 }, by: { $0 }).mapValues(\.count))")
        var posts: [String: Int] = [:]
        for message in double.messages {
            guard let range = message.text.range(of: #"Deployed [mp]-[0-9]+ v1 to (staging|prod)\."#, options: .regularExpression) else { continue }
            posts[String(message.text[range]), default: 0] += 1
        }
        #expect(posts.count == commands + approvals, "every command's result was posted")
        let repeated = posts.values.filter { $0 > 1 }.count
        #expect(repeated <= 2, "only a job the killed replica had posted but not yet recorded may post again: \(repeated)")
    }

    /// Each prod request was approved by U_BOB's one vote, however often and wherever it was clicked.
    static func expectEachApprovalCountedOnce(_ cluster: ReplicaCluster) async throws {
        let bodies = try await cluster.strings("SELECT body FROM approvals").compactMap { $0.first ?? nil }
        #expect(bodies.count == approvals)
        for body in bodies {
            let request = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            let votes = request["votes"] as? [[String: Any]] ?? []
            #expect(request["state"] as? String == "approved")
            #expect(votes.count == 1, "one vote, counted once: \(votes.count)")
        }
    }

    /// The schedule fires at a minute boundary after the leader died, from the new leader, once:
    /// one job, one "schedule fired" log line across all replicas and one post per firing.
    static func expectEachFiringOnce(_ cluster: ReplicaCluster, double: SlackAPIDouble, after killedAt: Date, formerLeader: Int) async throws {
        let stamp = try await eventually("a firing after the leader was killed", seconds: 90) {
            try await cluster.strings("SELECT dedupe_key FROM jobs WHERE dedupe_key LIKE 'schedule:heartbeat:%' ORDER BY dedupe_key").compactMap {
                $0.first??.split(separator: ":").last.flatMap { Int($0) }
            }.last { Double($0) > killedAt.timeIntervalSince1970 }
        }
        let firings = try await cluster.count("SELECT count(*)::text FROM jobs WHERE dedupe_key LIKE 'schedule:heartbeat:%'")
        _ = try await eventually("every firing's post", seconds: 60) {
            double.messages.filter { $0.channel == "C_SCHED" }.count >= firings ? true : nil
        }
        let logs = try cluster.bots.map { try $0.log() }
        let firedLines = logs.map { $0.components(separatedBy: "\n").filter { $0.contains("schedule fired") && $0.contains("\(stamp)") }.count }
        #expect(firedLines.reduce(0, +) == 1, "one replica fired \(stamp): \(firedLines)")
        #expect(firedLines[formerLeader] == 0, "the killed leader's successor fired it")
        #expect(try leaders(cluster).count >= 2, "the lead passed to another replica")
        try await Task.sleep(for: .seconds(1))
        #expect(double.messages.filter { $0.channel == "C_SCHED" }.count == firings, "one post per firing")
    }
}
