import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: JobQueue {
    public func enqueue(_ job: NewJob) async throws -> EnqueueResult {
        let payload = try encode(job.payload)
        return try await pool.write { db in
            try Self.insert(job, payload: payload, in: db)
        }
    }

    public func enqueue(batch jobs: [NewJob]) async throws -> [EnqueueResult] {
        let payloads = try jobs.map { try encode($0.payload) }
        return try await pool.write { db in
            try zip(jobs, payloads).map { try Self.insert($0, payload: $1, in: db) }
        }
    }

    /// Inserts the job unless its dedupe key (or its id) is taken. The statement is prepared once per
    /// connection (it runs for every acknowledged request); a taken key costs one more lookup.
    static func insert(_ job: NewJob, payload: String, in db: Database) throws -> EnqueueResult {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO jobs (id, dedupe_key, payload, state, available_at, created_at)
                VALUES (?, ?, ?, 'queued', ?, ?) ON CONFLICT DO NOTHING
                """)
        try insert.execute(arguments: [job.id, job.dedupeKey, payload, job.availableAt.storeValue, Date().storeValue])
        if db.changesCount > 0 { return .enqueued(jobID: job.id) }
        let existing = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM jobs WHERE dedupe_key = ?"), arguments: [job.dedupeKey])
        guard let existing else { throw StoreError.rowVanished(table: "jobs", key: job.dedupeKey) }
        return .duplicate(jobID: existing)
    }

    public func claim(worker: String, lease: TimeInterval, now: Date) async throws -> Job? {
        try await pool.write { [self] db -> Job? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE jobs SET state = 'running', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1
                        WHERE id = (
                            SELECT id FROM jobs
                            WHERE (state = 'queued' AND available_at <= ?) OR (state = 'running' AND lease_expires_at < ?)
                            ORDER BY created_at, rowid LIMIT 1)
                        RETURNING id, dedupe_key, payload, attempts, created_at
                        """,
                    arguments: [worker, now.addingTimeInterval(lease).storeValue, now.storeValue, now.storeValue])
            else { return nil }
            return Job(
                id: row["id"], dedupeKey: row["dedupe_key"], payload: try decode(JobPayload.self, row["payload"]),
                state: .running, attempts: row["attempts"], createdAt: Date(storeValue: row["created_at"]))
        }
    }

    public func renewLease(jobID: String, worker: String, until: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND state = 'running'",
                arguments: [until.storeValue, jobID, worker])
            return db.changesCount > 0
        }
    }

    public func finish(jobID: String, worker: String, state: Job.State, note: String?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?, finished_at = ?, note = ?, lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = ? AND lease_owner = ?
                    """,
                arguments: [state.rawValue, Date().storeValue, note, jobID, worker])
        }
    }

    public func retry(jobID: String, worker: String, at: Date, note: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'queued', available_at = ?, note = ?, lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = ? AND lease_owner = ?
                    """,
                arguments: [at.storeValue, note, jobID, worker])
        }
    }

    public func postpone(jobID: String, worker: String, until: Date, note: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'queued', available_at = ?, note = ?, attempts = MAX(attempts - 1, 0),
                        lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = ? AND lease_owner = ?
                    """,
                arguments: [until.storeValue, note, jobID, worker])
        }
    }

    public func releaseLeases(worker: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ? AND state = 'running'",
                arguments: [worker])
            return db.changesCount
        }
    }

    public func leaseOwners() async throws -> Set<String> {
        try await pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT lease_owner FROM jobs WHERE state = 'running' AND lease_owner IS NOT NULL"))
        }
    }

    public func queueDepth() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')") ?? 0
        }
    }

    /// Job states by dedupe key, for tests and operators.
    public func jobStates() async throws -> [String: Job.State] {
        try await pool.read { db in
            var states: [String: Job.State] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT dedupe_key, state FROM jobs") {
                states[row["dedupe_key"]] = Job.State(rawValue: row["state"])
            }
            return states
        }
    }
}
