import Foundation

/// Opaque state applied exactly once per execution id (used by the sandbox backend).
public protocol ExactlyOnceState: Sendable {
    /// Runs `change` on the state of `namespace` unless `executionID` already ran, and returns
    /// the result recorded for that execution.
    func applyOnce(
        namespace: String, executionID: String, _ change: @Sendable @escaping (inout Data?) throws -> Data
    ) async throws -> Data
    func state(namespace: String) async throws -> Data?
}
