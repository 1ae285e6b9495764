import ChatOpsCore
import Foundation

/// How both stores write their documents (job payloads, approvals, proposals, locks, replies, outcomes)
/// as JSON text and read them back: one encoder and one decoder, so both keep the same text.
struct DocumentCoding: Sendable {
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    /// The value as JSON text.
    func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A job's payload as JSON text: the acknowledged message's, the most frequent by far, written
    /// directly (see `InboundMessageJSON`); any other through the encoder.
    func encode(_ payload: JobPayload) throws -> String {
        if let text = InboundMessageJSON.text(of: payload) { return text }
        return String(decoding: try encoder.encode(payload), as: UTF8.self)
    }

    /// The value that JSON text holds.
    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }
}
