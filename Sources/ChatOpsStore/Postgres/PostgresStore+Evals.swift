import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: EvalRecords {
    public func recordEvalRun(_ run: StoredEvalRun) async throws {
        let body = try coding.encode(run)
        try await self.run(
            """
            INSERT INTO eval_runs (id, model, version, dataset, cancelled, verdict, finished_at, body)
            VALUES (\(run.id), \(run.model), \(run.version), \(run.dataset), \(run.cancelled), \(run.verdict), \(run.finishedAt.storeValue), \(body))
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, cancelled = excluded.cancelled, verdict = excluded.verdict,
                finished_at = excluded.finished_at, body = excluded.body
            WHERE eval_runs.cancelled
            """)
    }

    public func linkEvalRun(id: String, mlflowRunID: String) async throws {
        // Read, set and written back as a document: `::jsonb` refuses a NUL that a model's answer may hold.
        guard var run = try await evalRun(id: id) else { return }
        run.mlflowRunID = mlflowRunID
        let body = try coding.encode(run)
        try await self.run("UPDATE eval_runs SET body = \(body) WHERE id = \(id)")
    }

    public func evalRun(id: String) async throws -> StoredEvalRun? {
        try await documents(StoredEvalRun.self, "SELECT body FROM eval_runs WHERE id = \(id)").first
    }

    public func latestEvalRun(_ query: EvalRunQuery) async throws -> StoredEvalRun? {
        try await documents(
            StoredEvalRun.self,
            """
            SELECT body FROM eval_runs
            WHERE model = \(query.model) AND dataset = \(query.dataset) AND NOT cancelled
                AND (\(query.version)::text IS NULL OR version = \(query.version))
                AND (\(query.verdict)::text IS NULL OR verdict = \(query.verdict))
                AND (\(query.otherThanVersion)::text IS NULL OR version <> \(query.otherThanVersion))
            ORDER BY finished_at DESC, id DESC LIMIT 1
            """
        ).first
    }

    public func requestEvalCancellation(_ request: EvalCancellation) async throws {
        let body = try coding.encode(request)
        try await run("INSERT INTO eval_cancellations (run_id, body) VALUES (\(request.runID), \(body)) ON CONFLICT DO NOTHING")
    }

    public func evalCancellation(runID: String) async throws -> EvalCancellation? {
        try await documents(EvalCancellation.self, "SELECT body FROM eval_cancellations WHERE run_id = \(runID)").first
    }
}
