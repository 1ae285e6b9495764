import ChatOpsCore
import Foundation

/// Remembers which idempotency keys were already posted, and as which message, so a job retried
/// after a crash does not post again. The store provides it.
public protocol DeliveryLog: Sendable {
    func delivery(key: String) async throws -> String?
    func recordDelivery(key: String, messageID: String) async throws
}
