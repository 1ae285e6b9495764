import Foundation

/// Starts child processes one at a time: Foundation's `Process.run()` is not safe to call from
/// several threads at once on Linux, and the tests run in parallel.
public enum ProcessLauncher {
    private static let lock = NSLock()

    public static func run(_ process: Process) throws {
        try lock.withLock { try process.run() }
    }

    /// Runs blocking work (a child process and the wait for it) on a thread of its own. Waiting on
    /// the concurrency pool instead would hold one of its few threads (two on a two-core machine):
    /// parallel tests, and doubles answering in this process, would stall behind it.
    public static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }
}
