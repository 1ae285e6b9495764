import Foundation

extension PostgresSettings {
    /// Reads `postgres://user@host:5432/database` (or `postgresql://`; the port defaults to 5432), with an
    /// optional `?sslmode=disable|prefer|require` that overrides `tls`. A password in the URL is refused:
    /// it comes from `password`, a secret of its own.
    /// - Parameters:
    ///   - url: the server, the user and the database.
    ///   - password: the user's password, from a secret; nil when the server needs none.
    ///   - poolSize: the most connections this replica keeps open at once.
    ///   - connectTimeout: how long opening one connection may take.
    ///   - tls: whether connections use TLS, unless the URL's `sslmode` says.
    /// - Throws: `PostgresSettingsError`, naming what is wrong.
    public init(
        url: String, password: String?, poolSize: Int = 10, connectTimeout: Duration = .seconds(5), tls: TLSMode = .prefer
    ) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme else { throw PostgresSettingsError.invalidURL }
        guard ["postgres", "postgresql"].contains(scheme.lowercased()) else { throw PostgresSettingsError.unsupportedScheme(scheme) }
        guard components.password == nil else { throw PostgresSettingsError.passwordInURL }
        guard let host = components.host.map(Self.withoutBrackets), !host.isEmpty else { throw PostgresSettingsError.missingHost }
        guard let username = components.user, !username.isEmpty else { throw PostgresSettingsError.missingUsername }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw PostgresSettingsError.missingDatabase }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresSettingsError.invalidPort(port) }
        var mode = tls
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { throw PostgresSettingsError.unsupportedParameter(item.name) }
            guard let chosen = TLSMode(rawValue: item.value ?? "") else { throw PostgresSettingsError.unknownTLSMode(item.value ?? "") }
            mode = chosen
        }
        self.init(
            host: host, port: port, username: username, password: password, database: database, poolSize: poolSize,
            connectTimeout: connectTimeout, tls: mode)
    }

    /// An IPv6 address as written in a URL (`[::1]`) without its brackets.
    private static func withoutBrackets(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
