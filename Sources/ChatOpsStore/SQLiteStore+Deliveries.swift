import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: DeliveryRecords {
    public func delivery(key: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT message_id FROM deliveries WHERE idempotency_key = ?", arguments: [key])
        }
    }

    public func recordDelivery(key: String, messageID: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO deliveries (idempotency_key, message_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [key, messageID, Date().storeValue])
        }
    }
}
