import Logging
import PostgresNIO
import ServiceLifecycle

/// The shared store: PostgreSQL through postgres-nio, for several replicas on one database. Every
/// operation stays correct when replicas race: unique constraints decide duplicates, row locks
/// serialize read-change-write, claims skip rows another replica holds, and advisory locks order the
/// audit chain and the migrations.
///
/// A `Service`: ``run()`` keeps the connection pool and must be running (in the ServiceGroup) before
/// ``migrate()`` or any other call can proceed.
public final class PostgresStore: Sendable, Service, ConnectedStore {
    let client: PostgresClient
    let logger: Logger
    let coding = DocumentCoding()
    let leaderLock: PostgresLeaderLock

    /// Prepares the connection pool; nothing connects until ``run()`` runs.
    /// - Parameters:
    ///   - settings: where the server is and how to connect to it.
    ///   - logger: where queries and the pool's background work log.
    public init(settings: PostgresSettings, logger: Logger) {
        client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        leaderLock = PostgresLeaderLock(settings: settings, logger: logger)
        self.logger = logger
    }

    /// Keeps the connections until the task is cancelled or the ServiceGroup shuts down gracefully;
    /// queries fail from then on.
    public func run() async {
        await client.run()
        await leaderLock.release()
    }
}
