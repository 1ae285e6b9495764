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
    public func whileRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await run() }
            defer { group.cancelAll() }
            try await migrate()
            return try await body()
        }
    }
}
