import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PostgresFixtures
import SlackAPIDouble
import Testing

/// PostgreSQL stops for eight seconds while two replicas take signed commands: what arrives then is
/// answered 503 (Slack delivers it again), readiness turns false, the workers pause, and once the
/// database is back every acknowledged command runs, once.
@Suite("A database that goes away, end to end", .serialized)
struct DatabaseOutageEndToEndTests {
    static let commands = 600

    /// What the sender saw: every command's answers, in order.
    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var refused = 0
        private var acknowledged = 0
        private var other: [Int] = []
        func record(_ status: Int) {
            lock.withLock {
                switch status {
                case 200: acknowledged += 1
                case 503: refused += 1
                default: other.append(status)
                }
            }
        }
        var counts: (acknowledged: Int, refused: Int, other: [Int]) { lock.withLock { (acknowledged, refused, other) } }
    }

    @Test(.timeLimit(.minutes(5)))
    func nothingAcknowledgedIsLostWhilePostgreSQLIsDown() async throws {
        try await PrivatePostgresServer.with { server in try await Self.driveThroughAnOutage(server) }
    }

    static func driveThroughAnOutage(_ server: PrivatePostgresServer) async throws {
        let database = try await PostgresTestServer.createDatabase(on: server.url)
        try await SlackAPIDouble.run { double in
            let cluster = try ReplicaCluster(
                count: 2, database: database,
                extraConfiguration: """
                    slack: {signing_secret: \(ReplicaCluster.secret), bot_token: \(double.token), api_url: "\(double.baseURL)", channel_interval_ms: 1}
                    """)
            try await cluster.start(0)
            try await cluster.start(1)
            let signed = try await SignedRequest.sign(
                (0..<commands).map {
                    ReplicaEndToEndTests.slashCommand("o-\($0) v1 --env staging", channel: "C_\($0 % 10)", trigger: "outage-\($0)", double: double)
                }, secret: ReplicaCluster.secret)
            let answers = Answers()
            var readiness: [Int] = []
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<8 {
                    group.addTask {
                        for index in stride(from: lane, to: signed.count, by: 8) {
                            // As Slack does: a request not answered 200 is delivered again, a moment later.
                            while true {
                                let status = Int(try await cluster.post(signed[index], to: index % 2).code)
                                answers.record(status)
                                if status == 200 { break }
                                try await Task.sleep(for: .milliseconds(200))
                            }
                        }
                    }
                }
                _ = try await eventually("a quarter of the commands acknowledged", seconds: 60) {
                    answers.counts.acknowledged >= commands / 4 ? true : nil
                }
                try await server.stop()
                _ = try await eventually("readiness to turn false", seconds: 20) {
                    let status = try? await Self.readiness(cluster.bots[0])
                    return status == 503 ? 503 : nil
                }
                readiness.append(503)
                try await Task.sleep(for: .seconds(8))
                try await server.start()
                readiness.append(
                    try await eventually("readiness to return", seconds: 30) { (try? await Self.readiness(cluster.bots[0])) == 200 ? 200 : nil })
                try await group.waitForAll()
            }
            let counts = answers.counts
            #expect(counts.other.isEmpty, "only 200 or 503: \(counts.other)")
            #expect(counts.refused > 0, "the outage met the load: some deliveries were refused with 503")
            #expect(counts.acknowledged >= commands)
            #expect(readiness == [503, 200])

            _ = try await eventually("every job finished", seconds: 180) {
                try await cluster.count("SELECT count(*)::text FROM jobs WHERE state IN ('queued', 'running')") == 0 ? true : nil
            }
            #expect(try await cluster.count("SELECT count(*)::text FROM jobs WHERE dedupe_key LIKE 'slack:command:outage-%'") == commands)
            #expect(try await cluster.count("SELECT count(*)::text FROM jobs WHERE state <> 'done'") == 0)
            let fleetText = try #require(
                try await cluster.strings("SELECT convert_from(value, 'UTF8') FROM state WHERE namespace = 'sandbox.fleet'").first?.first ?? nil)
            let fleet = try #require(try JSONSerialization.jsonObject(with: Data(fleetText.utf8)) as? [String: Any])
            let deployments = try #require(fleet["deployments"] as? [String: [String: Any]])
            let revisions = (0..<commands).map { deployments["o-\($0)@staging"]?["revision"] as? Int }
            let unlike = revisions.enumerated().filter { $0.element != 1 }.map { "o-\($0.offset): \($0.element.map(String.init) ?? "never")" }
            #expect(unlike.isEmpty, "every acknowledged deploy ran once; revisions otherwise: \(unlike)")
            let logs = try cluster.bots.map { try $0.log() }.joined()
            let (paused, resumed) = (logs.contains("the store does not answer; this worker pauses"), logs.contains("the worker resumes"))
            #expect(paused, "the workers paused (the outage outlasted a claim's wait)")
            #expect(resumed, "and resumed")
            for bot in cluster.bots { #expect(await bot.terminate() == 0) }
        }
    }

    /// The status `/readyz` answers.
    static func readiness(_ bot: BotProcess) async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: bot.baseURL + "/readyz"), timeout: .seconds(5))
        return Int(response.status.code)
    }
}
