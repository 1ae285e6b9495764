import ChatOpsStore
import Foundation

extension BotConfiguration {
    /// `store:` where state is kept: the embedded SQLite file (the default, one process) or a
    /// PostgreSQL server (several replicas).
    public struct StoreSection: Decodable, Sendable {
        /// The SQLite database file, relative to the configuration file.
        public var sqlite = ".chatops/chatops.sqlite"
        /// Set when `sqlite:` is written out, so that naming both stores is an error rather than a guess.
        public private(set) var sqliteIsExplicit = false
        /// `store.postgres`: the server every replica shares.
        public var postgres: Postgres?

        /// `store.postgres:` where the server is and how many connections each replica keeps.
        public struct Postgres: Decodable, Sendable {
            /// `postgres://user@host:5432/database`, without the password.
            public var url: String
            /// The password, from a secret (`${CHATOPS_DATABASE_PASSWORD}`).
            public var password: String?
            public var poolSize = 10
            public var connectTimeoutMilliseconds = 5_000
            /// `disable`, `prefer` or `require`.
            public var tls = "prefer"

            enum CodingKeys: String, CodingKey, CaseIterable {
                case url, password, poolSize = "pool_size", connectTimeoutMilliseconds = "connect_timeout_ms", tls
            }

            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                url = try c.decode(String.self, forKey: .url)
                password = try c.decodeIfPresent(String.self, forKey: .password)
                poolSize = try c.decodeIfPresent(Int.self, forKey: .poolSize) ?? poolSize
                connectTimeoutMilliseconds = try c.decodeIfPresent(Int.self, forKey: .connectTimeoutMilliseconds) ?? connectTimeoutMilliseconds
                tls = try c.decodeIfPresent(String.self, forKey: .tls) ?? tls
            }

            /// The connection settings, or why they are wrong.
            public func settings() throws -> PostgresSettings {
                guard let mode = PostgresSettings.TLSMode(rawValue: tls) else { throw PostgresSettingsError.unknownTLSMode(tls) }
                return try PostgresSettings(
                    url: url, password: password, poolSize: poolSize, connectTimeout: .milliseconds(connectTimeoutMilliseconds), tls: mode)
            }
        }

        init() {}
        enum CodingKeys: String, CodingKey, CaseIterable { case sqlite, postgres }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let path = try c.decodeIfPresent(String.self, forKey: .sqlite) {
                sqlite = path
                sqliteIsExplicit = true
            }
            postgres = try c.decodeIfPresent(Postgres.self, forKey: .postgres)
        }

        /// What is wrong with the section, each with the key it concerns.
        func problems() -> [(key: CodingKeys, message: String)] {
            guard let postgres else { return [] }
            if sqliteIsExplicit { return [(.postgres, "store: name one store, sqlite or postgres, not both")] }
            do {
                let settings = try postgres.settings()
                if settings.poolSize < 1 { return [(.postgres, "store.postgres.pool_size must be at least 1")] }
                return []
            } catch {
                return [(.postgres, "store.postgres: \(error)")]
            }
        }
    }
}
