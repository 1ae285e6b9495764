import ChatOpsCore

/// A store that keeps connections to a server (PostgreSQL): they live while `run()` runs, and the
/// schema is brought up to date by `migrate()` before anything else uses the store.
public protocol ConnectedStore: Sendable {
    /// Keeps the connections until the task is cancelled.
    func run() async
    /// Applies the migrations this version knows; refuses a schema newer than it knows.
    func migrate() async throws
}

extension ConnectedStore {
    /// Runs `body` with the connections up and the schema migrated, then closes them: the store
    /// outlives everything `body` starts (workers release their leases through it while stopping).
    /// Closing waits at most `closeTimeout` (a pool may wait for work that a database gone away
    /// never answers); the process then ends with the connections.
    public func whileRunning<T: Sendable>(closeTimeout: Duration = .seconds(5), _ body: () async throws -> T) async throws -> T {
        let connections = Task { await run() }
        let close = {
            connections.cancel()
            _ = try? await withAbandoningDeadline(closeTimeout) { await connections.value }
        }
        do {
            try await migrate()
            let result = try await body()
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }
}
