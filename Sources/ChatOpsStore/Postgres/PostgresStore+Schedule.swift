import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: ScheduleStateStore {
    /// Held by one replica at a time: a session advisory lock on a connection of its own.
    public func holdsScheduleLeadership() async -> Bool {
        await leaderLock.holds()
    }

    public func lastFiring(entry: String) async throws -> Date? {
        try await rows("SELECT last_firing FROM schedule_state WHERE entry = \(entry)").first?.decode(Double?.self).map(Date.init(storeValue:))
    }

    public func recordFiring(entry: String, at: Date, job: NewJob?) async throws {
        let payload = try job.map { try coding.encode($0.payload) }
        try await transaction { session in
            if let job, let payload { _ = try await Self.insert(job, payload: payload, in: session) }
            try await session.run(
                """
                INSERT INTO schedule_state (entry, last_firing) VALUES (\(entry), \(at.storeValue))
                ON CONFLICT (entry) DO UPDATE SET last_firing = GREATEST(schedule_state.last_firing, EXCLUDED.last_firing)
                """)
        }
    }

    public func lastPostDigest(entry: String) async throws -> String? {
        try await rows("SELECT last_post_digest FROM schedule_state WHERE entry = \(entry)").first?.decode(String?.self)
    }

    public func setLastPostDigest(entry: String, digest: String) async throws {
        try await run(
            """
            INSERT INTO schedule_state (entry, last_post_digest) VALUES (\(entry), \(digest))
            ON CONFLICT (entry) DO UPDATE SET last_post_digest = EXCLUDED.last_post_digest
            """)
    }
}
