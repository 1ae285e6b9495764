import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: OutcomeLog {
    public func recordedOutcome(executionID: String) async throws -> RecordedOutcome? {
        try await firstDocument(RecordedOutcome.self, "SELECT body FROM outcomes WHERE execution_id = ?", [executionID])
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
