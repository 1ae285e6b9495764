import Logging
import PostgresNIO

/// One leased connection and the logger its queries log to: a transaction's, or one borrowed for
/// statements that must follow each other on the same connection.
struct PostgresSession: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a query and reads every row it returns (a result left unread would keep the connection busy).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    /// Runs a statement, discarding any rows it returns.
    func run(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }
}

extension PostgresStore {
    /// Runs a query on any pooled connection and reads every row it returns.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await client.query(query, logger: logger).collect()
    }

    /// Runs a statement on any pooled connection, discarding any rows it returns.
    func run(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// Runs `body` on one connection, outside a transaction.
    func withSession<Value>(_ body: (PostgresSession) async throws -> sending Value) async throws -> sending Value {
        try await client.withConnection { connection in
            try await body(PostgresSession(connection: connection, logger: logger))
        }
    }

    /// Runs `body` in one transaction (READ COMMITTED): committed when it returns, rolled back when it
    /// throws. The error `body` threw is rethrown as it is, not wrapped, so callers see the same errors
    /// as from SQLite.
    func transaction<Value>(_ body: (PostgresSession) async throws -> sending Value) async throws -> sending Value {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(PostgresSession(connection: connection, logger: logger))
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }
}
