import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: EvalRecords {
    public func recordEvalRun(_ run: StoredEvalRun) async throws {
        let body = try encode(run)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO eval_runs (id, model, version, dataset, cancelled, verdict, finished_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET version = excluded.version, cancelled = excluded.cancelled, verdict = excluded.verdict,
                        finished_at = excluded.finished_at, body = excluded.body
                    WHERE eval_runs.cancelled
                    """,
                arguments: [run.id, run.model, run.version, run.dataset, run.cancelled, run.verdict, run.finishedAt.storeValue, body])
        }
    }

    public func linkEvalRun(id: String, mlflowRunID: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE eval_runs SET body = json_set(body, '$.mlflowRunID', ?) WHERE id = ?", arguments: [mlflowRunID, id])
        }
    }

    public func evalRun(id: String) async throws -> StoredEvalRun? {
        try await firstDocument(StoredEvalRun.self, "SELECT body FROM eval_runs WHERE id = ?", [id])
    }

    public func latestEvalRun(_ query: EvalRunQuery) async throws -> StoredEvalRun? {
        try await firstDocument(
            StoredEvalRun.self,
            """
            SELECT body FROM eval_runs
            WHERE model = ? AND dataset = ? AND NOT cancelled AND (? IS NULL OR version = ?) AND (? IS NULL OR verdict = ?)
                AND (? IS NULL OR version <> ?)
            ORDER BY finished_at DESC, rowid DESC LIMIT 1
            """,
            [
                query.model, query.dataset, query.version, query.version, query.verdict, query.verdict, query.otherThanVersion,
                query.otherThanVersion,
            ])
    }

    public func requestEvalCancellation(_ request: EvalCancellation) async throws {
        let body = try encode(request)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO eval_cancellations (run_id, body) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [request.runID, body])
        }
    }

    public func evalCancellation(runID: String) async throws -> EvalCancellation? {
        try await firstDocument(EvalCancellation.self, "SELECT body FROM eval_cancellations WHERE run_id = ?", [runID])
    }
}
