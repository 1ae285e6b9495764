import Foundation

/// Starts child processes one at a time: Foundation's `Process.run()` is not safe to call from
/// several threads at once on Linux, and the tests run in parallel.
public enum ProcessLauncher {
    private static let lock = NSLock()

    public static func run(_ process: Process) throws {
        try lock.withLock { try process.run() }
    }
}
