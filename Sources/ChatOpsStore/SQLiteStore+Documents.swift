import Foundation
import GRDB

/// Tables that keep one JSON document per row (`body`), keyed by `id`, one per job (`job_id`), with
/// copies of the fields queries filter on in columns of their own: approvals and proposals.
extension SQLiteStore {
    /// Stores a document unless the job already stored one, and returns what is stored.
    func insertOnce<T: StoredDocument>(_ value: T) async throws -> T {
        let (table, jobID, columns) = (T.table, value.jobID, value.columnCopies)
        let body = try encode(value)
        let names = columns.keys.sorted()
        let values = names.map { Self.databaseValue(columns[$0]) } + [jobID.databaseValue, body.databaseValue]
        let stored = try await pool.write { db -> String in
            if let existing = try String.fetchOne(db, sql: "SELECT body FROM \(table) WHERE job_id = ?", arguments: [jobID]) {
                return existing
            }
            let placeholders = Array(repeating: "?", count: names.count + 2).joined(separator: ", ")
            try db.execute(
                sql: "INSERT INTO \(table) (\((names + ["job_id", "body"]).joined(separator: ", "))) VALUES (\(placeholders))",
                arguments: StatementArguments(values))
            return body
        }
        return try decode(T.self, stored)
    }

    static func databaseValue(_ copy: ColumnCopy?) -> DatabaseValue {
        switch copy {
        case .text(let text): return text?.databaseValue ?? .null
        case .time(let seconds): return seconds.databaseValue
        case nil: return .null
        }
    }

    /// The document with this id (ids are stored in lower case).
    func document<T: StoredDocument>(_ type: T.Type, id: String) async throws -> T? {
        try await firstDocument(T.self, "SELECT body FROM \(T.table) WHERE id = ?", [id.lowercased()])
    }

    /// The JSON `body` of the first row the query selects, decoded (as `PostgresStore.documents` does).
    func firstDocument<T: Decodable>(_ type: T.Type, _ sql: String, _ arguments: StatementArguments) async throws -> T? {
        let body = try await pool.read { db in try String.fetchOne(db, sql: sql, arguments: arguments) }
        return try body.map { try decode(T.self, $0) }
    }

    /// Reads, changes and writes one document in one transaction, refreshing its column copies;
    /// `then` runs inside the same transaction with the changed document.
    func updateDocument<T: StoredDocument, R: Sendable>(
        _ type: T.Type, id: String, _ change: @Sendable @escaping (inout T) -> R,
        then: @escaping @Sendable (Database, T, R) throws -> Void = { _, _, _ in }
    ) async throws -> (T, R)? {
        let table = T.table
        return try await pool.write { [self] db -> (T, R)? in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM \(table) WHERE id = ?", arguments: [id.lowercased()]) else {
                return nil
            }
            var value = try decode(T.self, body)
            let result = change(&value)
            let copies = value.columnCopies
            let names = copies.keys.sorted()
            try db.execute(
                sql: "UPDATE \(table) SET \((names + ["body"]).map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
                arguments: StatementArguments(
                    names.map { Self.databaseValue(copies[$0]) } + [try encode(value).databaseValue, id.lowercased().databaseValue]))
            try then(db, value, result)
            return (value, result)
        }
    }
}
