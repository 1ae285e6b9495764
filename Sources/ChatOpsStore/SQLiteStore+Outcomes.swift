import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: OutcomeLog {
    public func recordedOutcome(executionID: String) async throws -> RecordedOutcome? {
        let body = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM outcomes WHERE execution_id = ?", arguments: [executionID])
        }
        return try body.map { try decode(RecordedOutcome.self, $0) }
    }

    public func recordOutcome(_ outcome: RecordedOutcome) async throws {
        let body = try encode(outcome)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO outcomes (execution_id, body, created_at) VALUES (?, ?, ?) ON CONFLICT(execution_id) DO NOTHING",
                arguments: [outcome.executionID, body, outcome.finishedAt.storeValue])
        }
    }
}
