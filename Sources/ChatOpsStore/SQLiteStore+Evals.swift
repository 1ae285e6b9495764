import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: EvalRecords {
    public func recordEvalRun(_ run: StoredEvalRun) async throws {
        let body = try encode(run)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO eval_runs (id, model, version, dataset, cancelled, finished_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING
                    """,
                arguments: [run.id, run.model, run.version, run.dataset, run.cancelled, run.finishedAt.storeValue, body])
        }
    }

    public func evalRun(id: String) async throws -> StoredEvalRun? {
        try await evalRuns("SELECT body FROM eval_runs WHERE id = ?", [id])
    }

    public func latestEvalRun(model: String, version: String?, dataset: String) async throws -> StoredEvalRun? {
        let newest = "AND NOT cancelled ORDER BY finished_at DESC, rowid DESC LIMIT 1"
        if let version {
            return try await evalRuns(
                "SELECT body FROM eval_runs WHERE model = ? AND dataset = ? AND version = ? \(newest)", [model, dataset, version])
        }
        return try await evalRuns("SELECT body FROM eval_runs WHERE model = ? AND dataset = ? \(newest)", [model, dataset])
    }

    private func evalRuns(_ sql: String, _ arguments: StatementArguments) async throws -> StoredEvalRun? {
        let body = try await pool.read { db in try String.fetchOne(db, sql: sql, arguments: arguments) }
        return try body.map { try decode(StoredEvalRun.self, $0) }
    }
}
