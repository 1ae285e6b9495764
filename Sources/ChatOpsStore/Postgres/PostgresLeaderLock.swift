import Logging
import NIOSSL
import PostgresNIO

/// The scheduler's leader lock: a session-level advisory lock (`pg_try_advisory_lock`) held on a
/// connection of its own, outside the pool. PostgreSQL releases it when that connection ends — the
/// replica stopped, died or lost the network — and another replica takes it on its next try.
actor PostgresLeaderLock {
    private let settings: PostgresSettings
    private let logger: Logger
    private let watch: ClosedConnectionWatch
    private var connection: PostgresConnection?
    private var leading = false
    private var released = false

    init(settings: PostgresSettings, watch: ClosedConnectionWatch, logger: Logger) {
        self.settings = settings
        self.watch = watch
        self.logger = logger
    }

    /// Whether this replica leads: tries to take the lock when it does not, and checks that the
    /// lock's connection still answers when it does. Any failure gives the lead up.
    func holds() async -> Bool {
        guard !released else { return false }
        do {
            let connection = try await connected()
            if leading {
                _ = try await watch.rows("SELECT 1", on: connection, logger: logger)
                return true
            }
            let answer = try await watch.rows("SELECT pg_try_advisory_lock(\(PostgresAdvisoryLocks.scheduleLeader))", on: connection, logger: logger)
            leading = try answer.first?.decode(Bool.self) ?? false
            if leading { logger.notice("this replica fires the schedules now (it holds the leader lock)") }
            return leading
        } catch {
            if leading { logger.warning("lost the schedules' leader lock with its connection", metadata: ["error": "\(error)"]) }
            await drop()
            return false
        }
    }

    /// Gives the lead up for good (the store is stopping): unlocks, so that another replica can lead
    /// on its next try (the server frees a closed session's locks only a moment later), and closes
    /// the lock's connection.
    func release() async {
        released = true
        if leading, let connection {
            _ = try? await watch.rows("SELECT pg_advisory_unlock(\(PostgresAdvisoryLocks.scheduleLeader))", on: connection, logger: logger)
        }
        await drop()
    }

    private func drop() async {
        leading = false
        try? await connection?.close()
        connection = nil
    }

    private func connected() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password, database: settings.database,
            tls: try settings.tls.connectionTLS())
        configuration.options.connectTimeout = .milliseconds(Int64(settings.connectTimeout / .milliseconds(1)))
        let opened = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        connection = opened
        leading = false
        return opened
    }
}

extension PostgresSettings.TLSMode {
    /// The mode as a single connection (not the pool) takes it.
    func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch self {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}
