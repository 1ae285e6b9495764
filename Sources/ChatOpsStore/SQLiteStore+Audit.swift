import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: AuditLog {
    public func appendAudit(_ record: AuditRecord, at: Date) async throws -> AuditEvent {
        let details = try encode(record.details)
        return try await pool.write { db in
            let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1")
            let sequence: Int64 = (last?["sequence"] ?? 0) + 1
            let previous: String = last?["hash"] ?? AuditChain.genesis
            let event = AuditChain.seal(
                record, sequence: sequence, timestampMillis: Int64((at.timeIntervalSince1970 * 1000).rounded()),
                previousHash: previous)
            try db.execute(
                sql: """
                    INSERT INTO audit (sequence, timestamp_ms, kind, actor, subject, details, previous_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.sequence, event.timestampMillis, event.kind, event.actor, event.subject, details, event.previousHash,
                    event.hash,
                ])
            return event
        }
    }

    public func auditEvents() async throws -> [AuditEvent] {
        try await pool.read { [self] db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY sequence").map { row in
                AuditEvent(
                    sequence: row["sequence"], timestampMillis: row["timestamp_ms"], kind: row["kind"], actor: row["actor"],
                    subject: row["subject"], details: try decode([String: String].self, row["details"]),
                    previousHash: row["previous_hash"], hash: row["hash"])
            }
        }
    }

    /// Runs raw SQL, for tests that tamper with the log on purpose.
    public func executeForTesting(_ sql: String) async throws {
        try await pool.write { db in try db.execute(sql: sql) }
    }
}
