import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: JobQueue {
    public func enqueue(_ job: NewJob) async throws -> EnqueueResult {
        let payload = try coding.encode(job.payload)
        return try await withSession { session in
            try await Self.insert(job, payload: payload, in: session)
        }
    }

    /// One statement for the whole batch (one round trip and one commit, however many jobs): the rows
    /// go in in the batch's order, those whose dedupe key is taken are skipped, and a second query
    /// finds the jobs that took them, only when there are such.
    public func enqueue(batch jobs: [NewJob]) async throws -> [EnqueueResult] {
        guard !jobs.isEmpty else { return [] }
        let payloads = try jobs.map { try coding.encode($0.payload) }
        let (ids, keys, times) = (jobs.map(\.id), jobs.map(\.dedupeKey), jobs.map(\.availableAt.storeValue))
        let inserted = try await rows(
            """
            INSERT INTO jobs (id, dedupe_key, payload, state, available_at, created_at)
            SELECT id, dedupe_key, payload, 'queued', available_at, \(Date().storeValue)
            FROM unnest(\(ids)::text[], \(keys)::text[], \(payloads)::text[], \(times)::float8[])
                WITH ORDINALITY AS batch(id, dedupe_key, payload, available_at, position)
            ORDER BY position
            ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
            """)
        let stored = Set(try inserted.map { try $0.decode(String.self) })
        let taken = jobs.filter { !stored.contains($0.id) }.map(\.dedupeKey)
        var owners: [String: String] = [:]
        if !taken.isEmpty {
            for row in try await rows("SELECT dedupe_key, id FROM jobs WHERE dedupe_key = ANY(\(taken))") {
                let (key, id) = try row.decode((String, String).self)
                owners[key] = id
            }
        }
        return try jobs.map { job in
            if stored.contains(job.id) { return .enqueued(jobID: job.id) }
            guard let owner = owners[job.dedupeKey] else { throw StoreError.rowVanished(table: "jobs", key: job.dedupeKey) }
            return .duplicate(jobID: owner)
        }
    }

    /// Stores a job unless one with its dedupe key exists: the unique constraint decides between
    /// replicas racing to store the same one.
    static func insert(_ job: NewJob, payload: String, in session: PostgresSession) async throws -> EnqueueResult {
        let inserted = try await session.rows(
            """
            INSERT INTO jobs (id, dedupe_key, payload, state, available_at, created_at)
            VALUES (\(job.id), \(job.dedupeKey), \(payload), 'queued', \(job.availableAt.storeValue), \(Date().storeValue))
            ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
            """)
        if !inserted.isEmpty { return .enqueued(jobID: job.id) }
        guard let existing = try await session.rows("SELECT id FROM jobs WHERE dedupe_key = \(job.dedupeKey)").first else {
            throw StoreError.rowVanished(table: "jobs", key: job.dedupeKey)
        }
        return .duplicate(jobID: try existing.decode(String.self))
    }

    /// Claims the oldest runnable job; a job another replica is claiming at the same moment is skipped,
    /// not waited for, so no two workers ever claim the same one.
    public func claim(worker: String, lease: TimeInterval, now: Date) async throws -> Job? {
        let claimed = try await rows(
            """
            UPDATE jobs SET state = 'running', lease_owner = \(worker), lease_expires_at = \(now.addingTimeInterval(lease).storeValue),
                attempts = attempts + 1
            WHERE id = (
                SELECT id FROM jobs
                WHERE (state = 'queued' AND available_at <= \(now.storeValue)) OR (state = 'running' AND lease_expires_at < \(now.storeValue))
                ORDER BY created_at, seq LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING id, dedupe_key, payload, attempts, created_at
            """)
        guard let row = claimed.first else { return nil }
        let (id, dedupeKey, payload, attempts, createdAt) = try row.decode((String, String, String, Int, Double).self)
        return Job(
            id: id, dedupeKey: dedupeKey, payload: try coding.decode(JobPayload.self, payload), state: .running, attempts: attempts,
            createdAt: Date(storeValue: createdAt))
    }

    public func renewLease(jobID: String, worker: String, until: Date) async throws -> Bool {
        let renewed = try await rows(
            """
            UPDATE jobs SET lease_expires_at = \(until.storeValue)
            WHERE id = \(jobID) AND lease_owner = \(worker) AND state = 'running' RETURNING id
            """)
        return !renewed.isEmpty
    }

    public func finish(jobID: String, worker: String, state: Job.State, note: String?) async throws {
        try await run(
            """
            UPDATE jobs SET state = \(state.rawValue), finished_at = \(Date().storeValue), note = \(note), lease_owner = NULL,
                lease_expires_at = NULL
            WHERE id = \(jobID) AND lease_owner = \(worker)
            """)
    }

    public func retry(jobID: String, worker: String, at: Date, note: String) async throws {
        try await run(
            """
            UPDATE jobs SET state = 'queued', available_at = \(at.storeValue), note = \(note), lease_owner = NULL, lease_expires_at = NULL
            WHERE id = \(jobID) AND lease_owner = \(worker)
            """)
    }

    public func postpone(jobID: String, worker: String, until: Date, note: String) async throws {
        try await run(
            """
            UPDATE jobs SET state = 'queued', available_at = \(until.storeValue), note = \(note), attempts = GREATEST(attempts - 1, 0),
                lease_owner = NULL, lease_expires_at = NULL
            WHERE id = \(jobID) AND lease_owner = \(worker)
            """)
    }

    public func releaseLeases(worker: String) async throws -> Int {
        try await rows(
            """
            UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL
            WHERE lease_owner = \(worker) AND state = 'running' RETURNING id
            """
        ).count
    }

    public func leaseOwners() async throws -> Set<String> {
        let owners = try await rows("SELECT DISTINCT lease_owner FROM jobs WHERE state = 'running' AND lease_owner IS NOT NULL")
        return Set(try owners.map { try $0.decode(String.self) })
    }

    public func queueDepth() async throws -> Int {
        try await rows("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')").first?.decode(Int.self) ?? 0
    }

    /// Job states by dedupe key, for tests and operators.
    public func jobStates() async throws -> [String: Job.State] {
        var states: [String: Job.State] = [:]
        for row in try await rows("SELECT dedupe_key, state FROM jobs") {
            let (dedupeKey, state) = try row.decode((String, String).self)
            states[dedupeKey] = Job.State(rawValue: state)
        }
        return states
    }
}
