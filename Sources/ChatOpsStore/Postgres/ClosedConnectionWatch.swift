import ChatOpsCore
import Logging
import PostgresNIO
import Synchronization

/// Fails a query as soon as its connection closes. postgres-nio 1.33 loses a query written to a
/// connection that has just closed (the write finds no handler and nobody is told), and its caller
/// would wait forever: a database restarted under a busy replica left workers stuck until the process
/// was killed. Every query of the store runs through one watch.
///
/// One close callback is registered per connection, not per query, so a long-lived connection does
/// not collect callbacks.
final class ClosedConnectionWatch: Sendable {
    private typealias GiveUp = @Sendable (any Error) -> Void

    /// A connection watched until it closes (held, so that its identity is not reused meanwhile) and
    /// its queries in flight, by ticket.
    private struct Watched {
        let connection: PostgresConnection
        var queries: [UInt64: GiveUp] = [:]
    }

    private struct State: ~Copyable {
        var nextTicket: UInt64 = 0
        var watched: [ObjectIdentifier: Watched] = [:]
    }
    private let state = Mutex(State())

    /// Runs a query on `connection` and reads every row it returns; fails with
    /// `StoreError.connectionClosed` when the connection closes first.
    func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [PostgresRow] {
        // Not written at all to a connection known to be closed: a lost query keeps its task waiting.
        if connection.isClosed { throw StoreError.connectionClosed }
        return try await withAbandoningRace({ try await connection.query(query, logger: logger).collect() }) { giveUp in
            watch(connection, giveUp)
        }
    }

    /// Registers a query in flight; returns what removes it.
    private func watch(_ connection: PostgresConnection, _ giveUp: @escaping GiveUp) -> @Sendable () -> Void {
        let key = ObjectIdentifier(connection)
        let (ticket, isNew) = state.withLock { state in
            state.nextTicket += 1
            let isNew = state.watched[key] == nil
            state.watched[key, default: Watched(connection: connection)].queries[state.nextTicket] = giveUp
            return (state.nextTicket, isNew)
        }
        // Already closed: the callback runs at once, on the connection's event loop.
        if isNew { connection.closeFuture.whenComplete { _ in self.closed(key) } }
        return { self.state.withLock { state in _ = state.watched[key]?.queries.removeValue(forKey: ticket) } }
    }

    /// Fails every query still in flight on a connection that closed, and forgets the connection.
    private func closed(_ key: ObjectIdentifier) {
        let stranded = state.withLock { state in state.watched.removeValue(forKey: key)?.queries ?? [:] }
        for giveUp in stranded.values { giveUp(StoreError.connectionClosed) }
    }
}
