import ChatOpsCore
import ChatOpsStore
import Foundation
import Logging
import PostgresFixtures
import Synchronization
import Testing

/// PostgreSQL goes away under a busy store and comes back: every call made meanwhile ends (with an
/// answer or an error, never waiting forever), and the store serves again without a restart.
@Suite("Store: PostgreSQL going away and coming back", .serialized)
struct PostgresOutageTests {
    /// Set when the loops should stop.
    final class Flag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    @Test(.timeLimit(.minutes(2)))
    func callsMadeWhileTheDatabaseIsDownEndAndTheStoreServesAgain() async throws {
        try await PrivatePostgresServer.with { server in try await Self.driveThroughAnOutage(server) }
    }

    static func driveThroughAnOutage(_ server: PrivatePostgresServer) async throws {
        let database = try await PostgresTestServer.createDatabase(on: server.url)
        // Warnings and above: the pool reports each failed connection attempt of the outage at info.
        var logger = Logger(label: "outage-test")
        logger.logLevel = .warning
        let store = PostgresStore(
            settings: try PostgresSettings(url: database.url, password: nil, poolSize: 4, connectTimeout: .seconds(2), tls: .disable),
            logger: logger)
        let connections = Task { await store.run() }
        try await store.migrate()
        let stop = Flag()
        // Eight loops, as the workers, the intake and the housekeeping make them: every kind of call.
        let loops = (0..<8).map { lane in
            Task {
                var round = 0
                while !stop.isSet {
                    round += 1
                    await Self.call(lane, round: round, on: store)
                }
            }
        }
        try await Task.sleep(for: .seconds(2))
        try await server.stop()
        try await Task.sleep(for: .seconds(6))
        try await server.start()
        try await Task.sleep(for: .seconds(4))
        stop.set()
        // Each loop ends: none of its calls waits forever for a connection that died under it.
        do {
            try await withAbandoningDeadline(.seconds(30)) { for loop in loops { await loop.value } }
        } catch {
            let stuck = Self.inProgress.withLock { $0 }.filter { $0.value != "idle" }
            Issue.record("calls that never ended, by lane: \(stuck)")
            throw error
        }
        let after = try await store.enqueue(Sample.job("after", availableAt: Date()))
        #expect(!after.isDuplicate)
        connections.cancel()
        await connections.value
    }

    /// The call each lane is in, to name the one that never ends.
    static let inProgress = Mutex<[Int: String]>([:])
    static func mark(_ lane: Int, _ what: String) { inProgress.withLock { $0[lane] = what } }

    /// One call of the kind this lane makes, its error ignored (the database may be down).
    static func call(_ lane: Int, round: Int, on store: PostgresStore) async {
        defer { mark(lane, "idle") }
        let worker = "w-\(lane)"
        switch lane {
        case 0, 1:
            mark(lane, "enqueue")
            _ = try? await store.enqueue(Sample.job("k-\(lane)-\(round)", availableAt: Date()))
        case 2, 3:
            mark(lane, "claim")
            guard let job = try? await store.claim(worker: worker, lease: 30, now: Date()) else { return }
            mark(lane, "renew")
            _ = try? await store.renewLease(jobID: job.id, worker: worker, until: Date().addingTimeInterval(30))
            mark(lane, "finish/retry")
            if round.isMultiple(of: 2) {
                try? await store.finish(jobID: job.id, worker: worker, state: .done, note: nil)
            } else {
                try? await store.retry(jobID: job.id, worker: worker, at: Date(), note: "again")
            }
        case 4:
            mark(lane, "applyOnce")
            _ = try? await store.applyOnce(namespace: "fleet", executionID: "e-\(round)") { state in Data("\(round)".utf8) }
        case 5:
            mark(lane, "audit")
            _ = try? await store.appendAudit(AuditRecord(kind: "inbound", actor: "test:alice"), at: Date())
        case 6:
            mark(lane, "depth")
            _ = try? await store.queueDepth()
        default:
            mark(lane, "leader")
            _ = await store.holdsScheduleLeadership()
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
