import Foundation

/// Runs `body`, giving up when `timeout` passes first: the body is then cancelled and
/// `DeadlineExceeded` is thrown. Every outbound exchange (a backend's, a model's, a platform's) runs
/// under one, so a peer that stalls cannot hold a worker.
public func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw DeadlineExceeded(timeout: timeout)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Something took longer than its deadline allowed.
public struct DeadlineExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    public var timeout: Duration
    public init(timeout: Duration) { self.timeout = timeout }
    public var description: String {
        let milliseconds = timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000
        return "no answer within " + (milliseconds < 1_000 ? "\(milliseconds) ms" : DurationFormat.format(seconds: Int(milliseconds / 1_000)))
    }
}
