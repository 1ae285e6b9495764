import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: DeliveryRecords {
    public func delivery(key: String) async throws -> String? {
        try await rows("SELECT message_id FROM deliveries WHERE idempotency_key = \(key)").first?.decode(String.self)
    }

    public func recordDelivery(key: String, messageID: String) async throws {
        try await run(
            """
            INSERT INTO deliveries (idempotency_key, message_id, created_at) VALUES (\(key), \(messageID), \(Date().storeValue))
            ON CONFLICT DO NOTHING
            """)
    }
}
