import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: ExactlyOnceState {
    /// Runs in one transaction that locks the namespace's state row first: calls on one namespace, from
    /// any replica, run one after the other, and each sees what the one before recorded. A change that
    /// throws rolls everything back and records nothing.
    public func applyOnce(
        namespace: String, executionID: String, _ change: @Sendable @escaping (inout Data?) throws -> Data
    ) async throws -> Data {
        try await transaction { session in
            // The row must exist to be locked; the first call on a namespace makes it, empty.
            try await session.run("INSERT INTO state (namespace, value) VALUES (\(namespace), NULL) ON CONFLICT (namespace) DO NOTHING")
            var state = try await session.rows("SELECT value FROM state WHERE namespace = \(namespace) FOR UPDATE").first?.decode(Data?.self)
            let recorded = try await session.rows(
                "SELECT result FROM executions WHERE namespace = \(namespace) AND execution_id = \(executionID)")
            if let row = recorded.first { return try row.decode(Data.self) }
            let result = try change(&state)
            try await session.run("UPDATE state SET value = \(state) WHERE namespace = \(namespace)")
            try await session.run("INSERT INTO executions (namespace, execution_id, result) VALUES (\(namespace), \(executionID), \(result))")
            return result
        }
    }

    public func state(namespace: String) async throws -> Data? {
        try await rows("SELECT value FROM state WHERE namespace = \(namespace)").first?.decode(Data?.self)
    }
}
