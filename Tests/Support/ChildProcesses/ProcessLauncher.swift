import Foundation

/// Starts child processes one at a time: Foundation's `Process.run()` is not safe to call from
/// several threads at once on Linux, and the tests run in parallel.
public enum ProcessLauncher {
    private static let lock = NSLock()

    public static func run(_ process: Process) throws {
        try lock.withLock { try process.run() }
    }

    /// Runs a program to its end off the concurrency pool: its exit status and what it printed
    /// (standard output, and standard error with it when `withErrors`).
    public static func output(
        of executable: URL, _ arguments: [String], withErrors: Bool = true
    ) async throws -> (
        status: Int32, output: String
    ) {
        try await offThePool {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            if withErrors { process.standardError = pipe }
            try run(process)
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
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
