import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// One step of the schema, applied once and recorded in `schema_migrations`.
    typealias Migration = (version: Int, name: String, sql: String)

    /// Brings the schema up to date, in one transaction under an advisory lock: replicas starting
    /// together migrate one after the other, and the later ones find nothing left to do.
    /// - Throws: `StoreError.schemaTooNew` when a newer build has migrated the database further than
    ///   this one knows: this build must not use it.
    public func migrate() async throws {
        let known = Self.migrations.map(\.version).max() ?? 0
        let applied = try await transaction { session -> [Migration] in
            try await session.run("SELECT pg_advisory_xact_lock(\(PostgresAdvisoryLocks.migrations))")
            try await session.run(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INT PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """)
            let versions = Set(try await session.rows("SELECT version FROM schema_migrations").map { try $0.decode(Int.self) })
            if let newest = versions.max(), newest > known { throw StoreError.schemaTooNew(found: newest, known: known) }
            let missing = Self.migrations.filter { !versions.contains($0.version) }.sorted { $0.version < $1.version }
            for migration in missing {
                for statement in Self.statements(in: migration.sql) { try await session.run(PostgresQuery(unsafeSQL: statement)) }
                try await session.run("INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
            }
            return missing
        }
        for migration in applied {
            logger.info("applied a store migration", metadata: ["store.migration": "\(migration.version) \(migration.name)"])
        }
    }

    /// A migration's statements, one by one: PostgreSQL's extended protocol, which postgres-nio speaks,
    /// takes one statement per query. (A migration's SQL therefore has no `;` inside a literal.)
    static func statements(in sql: String) -> [String] {
        sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
