import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: ScheduleStateStore {
    /// One process owns a SQLite file, so it always leads.
    public func holdsScheduleLeadership() async -> Bool { true }

    public func lastFiring(entry: String) async throws -> Date? {
        try await pool.read { db in
            try Double.fetchOne(db, sql: "SELECT last_firing FROM schedule_state WHERE entry = ?", arguments: [entry])
        }.map(Date.init(storeValue:))
    }

    public func recordFiring(entry: String, at: Date, job: NewJob?) async throws {
        let payload = try job.map { try encode($0.payload) }
        try await pool.write { db in
            if let job, let payload { _ = try Self.insert(job, payload: payload, in: db) }
            try db.execute(
                sql: """
                    INSERT INTO schedule_state (entry, last_firing) VALUES (?, ?)
                    ON CONFLICT(entry) DO UPDATE SET last_firing = MAX(COALESCE(last_firing, excluded.last_firing), excluded.last_firing)
                    """,
                arguments: [entry, at.storeValue])
        }
    }

    public func lastPostDigest(entry: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT last_post_digest FROM schedule_state WHERE entry = ?", arguments: [entry])
        }
    }

    public func setLastPostDigest(entry: String, digest: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO schedule_state (entry, last_post_digest) VALUES (?, ?)
                    ON CONFLICT(entry) DO UPDATE SET last_post_digest = excluded.last_post_digest
                    """,
                arguments: [entry, digest])
        }
    }
}

extension SQLiteStore: TranscriptLog {
    public func appendMessage(
        channel: String, thread: String?, author: String, reply: Reply, idempotencyKey: String, at: Date
    ) async throws -> TranscriptMessage {
        let body = try encode(reply)
        return try await pool.write { [self] db -> TranscriptMessage in
            try db.execute(
                sql: """
                    INSERT INTO transcript (channel, thread, author, reply, idempotency_key, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(idempotency_key) DO NOTHING
                    """,
                arguments: [channel, thread, author, body, idempotencyKey, at.storeValue, at.storeValue])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM transcript WHERE idempotency_key = ?", arguments: [idempotencyKey])!
            return try message(from: row)
        }
    }

    public func updateMessage(id: Int64, reply: Reply, at: Date) async throws {
        let body = try encode(reply)
        try await pool.write { db in
            try db.execute(sql: "UPDATE transcript SET reply = ?, updated_at = ? WHERE id = ?", arguments: [body, at.storeValue, id])
        }
    }

    public func messages(channel: String?, afterID: Int64, limit: Int) async throws -> [TranscriptMessage] {
        try await pool.read { [self] db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM transcript WHERE (? IS NULL OR channel = ?) AND id > ? ORDER BY id LIMIT ?",
                arguments: [channel, channel, afterID, limit]
            ).map(message(from:))
        }
    }

    public func newestMessages(channel: String?, limit: Int) async throws -> [TranscriptMessage] {
        try await pool.read { [self] db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (SELECT * FROM transcript WHERE (? IS NULL OR channel = ?) ORDER BY id DESC LIMIT ?) ORDER BY id
                    """,
                arguments: [channel, channel, limit]
            ).map(message(from:))
        }
    }

    private func message(from row: Row) throws -> TranscriptMessage {
        TranscriptMessage(
            id: row["id"], channel: row["channel"], thread: row["thread"], author: row["author"],
            reply: try decode(Reply.self, row["reply"]), createdAt: Date(storeValue: row["created_at"]),
            updatedAt: Date(storeValue: row["updated_at"]))
    }
}

extension SQLiteStore: ExactlyOnceState {
    public func applyOnce(
        namespace: String, executionID: String, _ change: @Sendable @escaping (inout Data?) throws -> Data
    ) async throws -> Data {
        try await pool.write { db in
            if let recorded = try Data.fetchOne(
                db, sql: "SELECT result FROM executions WHERE namespace = ? AND execution_id = ?", arguments: [namespace, executionID])
            {
                return recorded
            }
            var state = try Data.fetchOne(db, sql: "SELECT value FROM state WHERE namespace = ?", arguments: [namespace])
            let result = try change(&state)
            try db.execute(
                sql: "INSERT INTO state (namespace, value) VALUES (?, ?) ON CONFLICT(namespace) DO UPDATE SET value = excluded.value",
                arguments: [namespace, state])
            try db.execute(
                sql: "INSERT INTO executions (namespace, execution_id, result) VALUES (?, ?, ?)",
                arguments: [namespace, executionID, result])
            return result
        }
    }

    public func state(namespace: String) async throws -> Data? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM state WHERE namespace = ?", arguments: [namespace])
        }
    }
}
