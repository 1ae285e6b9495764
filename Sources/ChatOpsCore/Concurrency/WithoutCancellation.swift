/// Runs `body` to its end even when the caller has been cancelled: for a write that must not be lost
/// once the work it records has happened (an action's outcome).
public func withoutCancellation<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await Task { try await body() }.value
}
