import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: AuditLog {

    public func appendAudit(_ record: AuditRecord, at: Date) async throws -> AuditEvent {
        let details = try coding.encode(record.details)
        return try await transaction { session in
            try await session.run("SELECT pg_advisory_xact_lock(\(PostgresAdvisoryLocks.auditChain))")
            let last = try await session.rows("SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1").first?.decode((Int64, String).self)
            let event = AuditChain.seal(
                record, sequence: (last?.0 ?? 0) + 1, timestampMillis: Int64((at.timeIntervalSince1970 * 1000).rounded()),
                previousHash: last?.1 ?? AuditChain.genesis)
            try await session.run(
                """
                INSERT INTO audit (sequence, timestamp_ms, kind, actor, subject, details, previous_hash, hash)
                VALUES (\(event.sequence), \(event.timestampMillis), \(event.kind), \(event.actor), \(event.subject), \(details),
                    \(event.previousHash), \(event.hash))
                """)
            return event
        }
    }

    public func auditEvents() async throws -> [AuditEvent] {
        try await rows("SELECT sequence, timestamp_ms, kind, actor, subject, details, previous_hash, hash FROM audit ORDER BY sequence").map {
            let (sequence, timestampMillis, kind, actor, subject, details, previousHash, hash) = try $0.decode(
                (Int64, Int64, String, String?, String?, String, String, String).self)
            return AuditEvent(
                sequence: sequence, timestampMillis: timestampMillis, kind: kind, actor: actor, subject: subject,
                details: try coding.decode([String: String].self, details), previousHash: previousHash, hash: hash)
        }
    }

    /// Runs raw SQL (one statement), for tests that tamper with the log on purpose.
    public func executeForTesting(_ sql: String) async throws {
        try await run(PostgresQuery(unsafeSQL: sql))
    }
}
