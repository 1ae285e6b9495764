import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: TranscriptLog {
    /// The columns a message is read from, in the order `message(from:)` decodes them.
    private static let messageColumns = "id, channel, thread, author, reply, created_at, updated_at"

    public func appendMessage(
        channel: String, thread: String?, author: String, reply: Reply, idempotencyKey: String, at: Date
    ) async throws -> TranscriptMessage {
        let body = try coding.encode(reply)
        let inserted = try await rows(
            """
            INSERT INTO transcript (channel, thread, author, reply, idempotency_key, created_at, updated_at)
            VALUES (\(channel), \(thread), \(author), \(body), \(idempotencyKey), \(at.storeValue), \(at.storeValue))
            ON CONFLICT (idempotency_key) DO NOTHING RETURNING \(unescaped: Self.messageColumns)
            """)
        var stored = inserted
        if stored.isEmpty {
            stored = try await rows("SELECT \(unescaped: Self.messageColumns) FROM transcript WHERE idempotency_key = \(idempotencyKey)")
        }
        guard let row = stored.first else { throw StoreError.rowVanished(table: "transcript", key: idempotencyKey) }
        return try message(from: row)
    }

    public func updateMessage(id: Int64, reply: Reply, at: Date) async throws {
        let body = try coding.encode(reply)
        try await run("UPDATE transcript SET reply = \(body), updated_at = \(at.storeValue) WHERE id = \(id)")
    }

    public func messages(channel: String?, afterID: Int64, limit: Int) async throws -> [TranscriptMessage] {
        // SQLite reads a negative limit as no limit; PostgreSQL refuses one.
        let rowLimit = limit < 0 ? Int64.max : Int64(limit)
        let query: PostgresQuery =
            if let channel {
                """
                SELECT \(unescaped: Self.messageColumns) FROM transcript
                WHERE channel = \(channel) AND id > \(afterID) ORDER BY id LIMIT \(rowLimit)
                """
            } else {
                "SELECT \(unescaped: Self.messageColumns) FROM transcript WHERE id > \(afterID) ORDER BY id LIMIT \(rowLimit)"
            }
        return try await rows(query).map(message(from:))
    }

    public func newestMessages(channel: String?, limit: Int) async throws -> [TranscriptMessage] {
        let rowLimit = Int64(max(0, limit))
        let query: PostgresQuery =
            if let channel {
                """
                SELECT \(unescaped: Self.messageColumns) FROM (SELECT \(unescaped: Self.messageColumns) FROM transcript
                WHERE channel = \(channel) ORDER BY id DESC LIMIT \(rowLimit)) AS newest ORDER BY id
                """
            } else {
                """
                SELECT \(unescaped: Self.messageColumns) FROM (SELECT \(unescaped: Self.messageColumns) FROM transcript
                ORDER BY id DESC LIMIT \(rowLimit)) AS newest ORDER BY id
                """
            }
        return try await rows(query).map(message(from:))
    }

    private func message(from row: PostgresRow) throws -> TranscriptMessage {
        let (id, channel, thread, author, reply, createdAt, updatedAt) = try row.decode(
            (Int64, String, String?, String, String, Double, Double).self)
        return TranscriptMessage(
            id: id, channel: channel, thread: thread, author: author, reply: try coding.decode(Reply.self, reply),
            createdAt: Date(storeValue: createdAt), updatedAt: Date(storeValue: updatedAt))
    }
}
