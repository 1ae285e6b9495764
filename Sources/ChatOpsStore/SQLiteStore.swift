import ChatOpsCore
import Foundation
import GRDB

/// The embedded store: SQLite in WAL mode through GRDB. One process, nothing to install.
public final class SQLiteStore: Sendable {
    let pool: DatabasePool
    let coding = DocumentCoding()

    /// Opens (and creates or migrates) the database.
    /// - Parameter path: the database file; its folder is created when missing.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
        pool.add(transactionObserver: try WALCheckpointer(path: path), extent: .databaseLifetime)
    }

    func encode<T: Encodable>(_ value: T) throws -> String { try coding.encode(value) }
    func encode(_ payload: JobPayload) throws -> String { try coding.encode(payload) }
    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try coding.decode(type, text) }
}

extension Date {
    /// Seconds since 1970, the form dates take in the database.
    var storeValue: Double { timeIntervalSince1970 }
    init(storeValue: Double) { self.init(timeIntervalSince1970: storeValue) }
}
