import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: OutcomeLog {
    public func recordedOutcome(executionID: String) async throws -> RecordedOutcome? {
        try await documents(RecordedOutcome.self, "SELECT body FROM outcomes WHERE execution_id = \(executionID)").first
    }

    public func recordOutcome(_ outcome: RecordedOutcome) async throws {
        let body = try coding.encode(outcome)
        try await run(
            """
            INSERT INTO outcomes (execution_id, body, created_at) VALUES (\(outcome.executionID), \(body), \(outcome.finishedAt.storeValue))
            ON CONFLICT (execution_id) DO NOTHING
            """)
    }
}
