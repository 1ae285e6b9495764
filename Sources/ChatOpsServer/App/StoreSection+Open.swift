import ChatOpsCore
import ChatOpsStore
import Foundation
import Logging

/// The store `store:` chose, and its connections when it keeps any.
public struct OpenedStore: Sendable {
    public let store: any Store
    /// PostgreSQL's connections and migrations; nil for SQLite, which is ready once opened.
    public let connection: (any ConnectedStore)?
    /// Where it is, for the log: the SQLite file, or PostgreSQL's host and database (never the password).
    public let location: String

    /// Runs `body` with the store ready: connections up and the schema migrated.
    public func whileRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        guard let connection else { return try await body() }
        return try await connection.whileRunning(body)
    }
}

extension BotConfiguration.StoreSection {
    /// Opens the store this section names; relative SQLite paths are resolved against `base`.
    public func open(base: URL, logger: Logger) throws -> OpenedStore {
        if let postgres {
            let settings = try postgres.settings()
            let store = PostgresStore(settings: settings, logger: logger)
            return OpenedStore(store: store, connection: store, location: settings.description)
        }
        let path = ConfigurationLoader.resolve(sqlite, against: base).path
        return OpenedStore(store: try SQLiteStore(path: path), connection: nil, location: path)
    }
}
