import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server `scripts/test` starts on loopback (`CHATOPS_POSTGRES_URL`, the `postgres`
/// superuser, trust authentication): every test gets an empty database of its own.
public enum PostgresTestServer {
    /// Why a test that needs the server cannot run: it fails, loudly, rather than skipping.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// A database made for one test.
    public struct Database: Sendable {
        public let name: String
        /// `postgres://postgres@127.0.0.1:PORT/NAME`
        public let url: String
    }

    /// The server's address from the environment.
    public static func serverURL() throws -> URLComponents {
        guard let text = ProcessInfo.processInfo.environment["CHATOPS_POSTGRES_URL"], let url = URLComponents(string: text), url.host != nil else {
            throw Unavailable(description: "CHATOPS_POSTGRES_URL is not set: run the tests with scripts/test, which starts PostgreSQL")
        }
        return url
    }

    /// Creates an empty database on the shared server, or on the server at `server`.
    public static func createDatabase(on server: String? = nil) async throws -> Database {
        let name = "chatops_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        var url = try server.flatMap(URLComponents.init(string:)) ?? serverURL()
        try await rows("CREATE DATABASE \(name)", at: url)
        url.path = "/\(name)"
        return Database(name: String(name), url: url.string ?? "")
    }

    /// Drops a test's database, closing what is still connected to it.
    public static func dropDatabase(_ database: Database) async throws {
        var url = try URLComponents(string: database.url) ?? serverURL()
        url.path = "/postgres"
        try await rows("DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)", at: url)
    }

    /// The rows a query returns in a test's database, every column as text (cast in the query
    /// where a column is not text: `SELECT count(*)::text …`).
    public static func strings(_ query: String, in database: Database) async throws -> [[String?]] {
        let url = try URLComponents(string: database.url) ?? serverURL()
        return try await rows(query, at: url).map { row in try row.map { try $0.decode(String?.self) } }
    }

    /// Runs a query on the database `url` names, as the superuser.
    @discardableResult
    private static func rows(_ query: String, at url: URLComponents) async throws -> [PostgresRow] {
        let logger = Logger(label: "postgres-test-server")
        let configuration = PostgresConnection.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres", password: nil,
            database: String(url.path.dropFirst()),
            tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: query), logger: logger).collect()
            try await connection.close()
            return rows
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
