import Logging
import PostgresNIO

/// One leased connection and the logger its queries log to: a transaction's, or one borrowed for
/// statements that must follow each other on the same connection.
struct PostgresSession: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    let watch: ClosedConnectionWatch

    /// Runs a query and reads every row it returns (a result left unread would keep the connection
    /// busy); fails at once when the connection closes.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await watch.rows(query, on: connection, logger: logger)
    }

    /// Runs a statement, discarding any rows it returns.
    func run(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }
}

extension PostgresStore {
    /// Runs a query on any pooled connection and reads every row it returns.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withSession { session in try await session.rows(query) }
    }

    /// Runs a statement on any pooled connection, discarding any rows it returns.
    func run(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// Runs `body` on one connection, outside a transaction.
    func withSession<Value>(_ body: (PostgresSession) async throws -> sending Value) async throws -> sending Value {
        await running.wait()
        return try await client.withConnection { connection in
            try await body(PostgresSession(connection: connection, logger: logger, watch: watch))
        }
    }

    /// Runs `body` in one transaction (READ COMMITTED): committed when it returns, rolled back when it
    /// throws, and the error `body` threw is rethrown as it is, so callers see the same errors as from
    /// SQLite. (postgres-nio's own `withTransaction` sends BEGIN, COMMIT and ROLLBACK unwatched.) A
    /// connection whose ROLLBACK failed is closed, so the pool never lends it mid-transaction.
    func transaction<Value>(_ body: (PostgresSession) async throws -> sending Value) async throws -> sending Value {
        try await withSession { session in
            try await session.run("BEGIN")
            let value: Value
            do {
                value = try await body(session)
            } catch {
                // On a closed connection the server has rolled back already (and a ROLLBACK written to it
                // would be lost, see `ClosedConnectionWatch`).
                if !session.connection.isClosed {
                    do { try await session.run("ROLLBACK") } catch { try? await session.connection.close() }
                }
                throw error
            }
            try await session.run("COMMIT")
            return value
        }
    }
}
