import Logging
import PostgresNIO
import ServiceLifecycle

/// The shared store: PostgreSQL through postgres-nio, for several replicas on one database. Every
/// operation stays correct when replicas race: unique constraints decide duplicates, row locks
/// serialize read-change-write, claims skip rows another replica holds, and advisory locks order the
/// audit chain and the migrations.
///
/// A `Service`: ``run()`` keeps the connection pool; ``migrate()`` and every other call wait until it runs.
public final class PostgresStore: Sendable, Service, ConnectedStore {
    let client: PostgresClient
    let logger: Logger
    let coding = DocumentCoding()
    let leaderLock: PostgresLeaderLock
    /// Opened when ``run()`` starts the pool; queries wait for it.
    let running = OpeningGate()
    /// Fails queries whose connection closes under them.
    let watch = ClosedConnectionWatch()

    /// Prepares the connection pool; nothing connects until ``run()`` runs.
    /// - Parameters:
    ///   - settings: where the server is and how to connect to it.
    ///   - logger: where queries and the pool's background work log.
    public init(settings: PostgresSettings, logger: Logger) {
        client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        leaderLock = PostgresLeaderLock(settings: settings, watch: watch, logger: logger)
        self.logger = logger
    }

    /// Keeps the connections until the task is cancelled or the ServiceGroup shuts down gracefully;
    /// queries fail from then on.
    public func run() async {
        // The pool starts in a child task; the gate opens a moment later, so that no query asks the
        // pool for a connection before it runs (postgres-nio warns of each one that does).
        async let pool: Void = client.run()
        try? await Task.sleep(for: .milliseconds(10))
        running.open()
        await pool
        await leaderLock.release()
    }
}
