import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: EvalRecords {
    public func recordEvalRun(_ run: StoredEvalRun) async throws {
        let body = try coding.encode(run)
        try await self.run(
            """
            INSERT INTO eval_runs (id, model, version, dataset, cancelled, finished_at, body)
            VALUES (\(run.id), \(run.model), \(run.version), \(run.dataset), \(run.cancelled), \(run.finishedAt.storeValue), \(body))
            ON CONFLICT (id) DO NOTHING
            """)
    }

    public func evalRun(id: String) async throws -> StoredEvalRun? {
        try await documents(StoredEvalRun.self, "SELECT body FROM eval_runs WHERE id = \(id)").first
    }

    public func latestEvalRun(model: String, version: String?, dataset: String) async throws -> StoredEvalRun? {
        if let version {
            return try await documents(
                StoredEvalRun.self,
                """
                SELECT body FROM eval_runs WHERE model = \(model) AND dataset = \(dataset) AND version = \(version) AND NOT cancelled
                ORDER BY finished_at DESC, id DESC LIMIT 1
                """
            ).first
        }
        return try await documents(
            StoredEvalRun.self,
            "SELECT body FROM eval_runs WHERE model = \(model) AND dataset = \(dataset) AND NOT cancelled ORDER BY finished_at DESC, id DESC LIMIT 1"
        ).first
    }
}
