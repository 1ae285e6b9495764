import Foundation

/// Which outbound messages were already posted, by idempotency key, for platforms that cannot
/// deduplicate posts themselves.
public protocol DeliveryRecords: Sendable {
    func delivery(key: String) async throws -> String?
    func recordDelivery(key: String, messageID: String) async throws
}
