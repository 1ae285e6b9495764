import PostgresNIO

/// Where the PostgreSQL server is and how this replica connects to it. The password is never part of
/// the URL nor of `description`: it comes from a setting of its own, a secret.
public struct PostgresSettings: Sendable, CustomStringConvertible {
    /// Whether connections use TLS: `disable` never, `prefer` when the server offers it, `require` always.
    /// With `prefer` and `require` the server's certificate is checked against the system's trust roots
    /// and the host name.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    /// The password, from a secret; nil when the server needs none (trust or peer authentication).
    public var password: String?
    public var database: String
    /// The most connections this replica keeps open at once (at least 1).
    public var poolSize: Int
    /// How long opening one connection may take.
    public var connectTimeout: Duration
    public var tls: TLSMode

    /// - Parameters:
    ///   - host: the server's host name or IP address.
    ///   - port: its TCP port.
    ///   - username: the role to connect as.
    ///   - password: that role's password, from a secret.
    ///   - database: the database every replica shares.
    ///   - poolSize: the most connections this replica keeps open at once.
    ///   - connectTimeout: how long opening one connection may take.
    ///   - tls: whether connections use TLS.
    public init(
        host: String, port: Int = 5432, username: String, password: String?, database: String, poolSize: Int = 10,
        connectTimeout: Duration = .seconds(5), tls: TLSMode = .prefer
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.tls = tls
    }

    /// The settings as a URL without the password, for logs.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(username)@\(shownHost):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    /// The configuration of postgres-nio's connection pool.
    var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls.clientTLS)
        configuration.options.maximumConnections = max(poolSize, 1)
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }
}

extension PostgresSettings.TLSMode {
    /// The mode as postgres-nio takes it; the TLS configurations verify the server's certificate.
    var clientTLS: PostgresClient.Configuration.TLS {
        switch self {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require: return .require(.makeClientConfiguration())
        }
    }
}
