import Foundation

/// Runs `body`, giving up when `timeout` passes first: the body is then cancelled and
/// `DeadlineExceeded` is thrown. Every outbound exchange (a backend's, a model's, a platform's) runs
/// under one, so a peer that stalls cannot hold a worker. When the caller is cancelled, the body is
/// cancelled too and its own answer is awaited: a body that finishes anyway returns its result.
public func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: DeadlineRace<T>.self) { group in
        group.addTask { .finished(try await body()) }
        group.addTask {
            try? await Task.sleep(for: timeout)
            if Task.isCancelled { return .timerCancelled }
            throw DeadlineExceeded(timeout: timeout)
        }
        defer { group.cancelAll() }
        while let next = try await group.next() {
            if case .finished(let value) = next { return value }
        }
        throw CancellationError()
    }
}

/// What finished first in `withDeadline`: the body, or a timer that was cancelled with its caller.
enum DeadlineRace<T: Sendable>: Sendable {
    case finished(T)
    case timerCancelled
}

/// Something took longer than its deadline allowed.
public struct DeadlineExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    public var timeout: Duration
    public init(timeout: Duration) { self.timeout = timeout }
    public var description: String {
        let milliseconds = timeout.milliseconds
        return "no answer within " + (milliseconds < 1_000 ? "\(milliseconds) ms" : DurationFormat.format(seconds: Int(milliseconds / 1_000)))
    }
}

/// Runs `body` and gives up on it when `timeout` passes first, without waiting for it: `body` is
/// cancelled and left to end on its own, and `DeadlineExceeded` is thrown at once (about 10 ms
/// late, more when the process's tasks wait for a thread: see `DeadlineWatch`). For calls that may not heed cancellation (a connection pool waiting
/// for a database that went away, a client that stops sending its body), where the caller must
/// answer in time and a late result is harmless (a write that lands late is found by its key).
public func withAbandoningDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withAbandoningRace(body) { giveUp in
        DeadlineWatch.shared.watch(until: .now + timeout) { giveUp(DeadlineExceeded(timeout: timeout)) }
    }
}
