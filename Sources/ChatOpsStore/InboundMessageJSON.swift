import ChatOpsCore
import Foundation

/// The JSON text of the job every acknowledged message is stored as (`JobPayload.inbound` of a
/// `.message`), written directly: `JSONEncoder` took a tenth of the acknowledgement path's CPU for
/// this one document. The text is what `JSONEncoder` writes for the same value, up to key order and
/// `/` escaping, so `JSONDecoder` reads it back unchanged; anything else (a click, a scheduled firing,
/// an approval's run) returns nil and goes through `JSONEncoder`. The tests hold both to the same
/// JSON and fail when `Inbound`, `Principal` or `Conversation` gains a property this does not write.
enum InboundMessageJSON {
    static func text(of payload: JobPayload) -> String? {
        guard case .inbound(let inbound) = payload, case .message(let text) = inbound.kind, inbound.receivedAt.isFinite else { return nil }
        var json = JSONText()
        json.open("inbound")
        json.open("_0")
        json.field("id", inbound.id)
        json.field("dedupeKey", inbound.dedupeKey)
        json.field("messageID", inbound.replyThread)
        json.number("receivedAt", inbound.receivedAt.timeIntervalSinceReferenceDate)
        json.open("kind")
        json.open("message")
        json.field("text", text)
        json.close()
        json.close()
        json.open("sender")
        json.fields([("platform", inbound.sender.platform), ("userID", inbound.sender.userID), ("displayName", inbound.sender.displayName)])
        json.strings("groups", inbound.sender.groups)
        json.close()
        json.open("conversation")
        let conversation = inbound.conversation
        json.fields([
            ("platform", conversation.platform), ("channel", conversation.channel), ("thread", conversation.thread),
            ("replyToken", conversation.replyToken),
        ])
        json.close()
        json.close()
        json.close()
        return json.text
    }
}

extension Date {
    fileprivate var isFinite: Bool { timeIntervalSinceReferenceDate.isFinite }
}

/// A JSON object written field by field; nil values are left out, as `encodeIfPresent` does.
private struct JSONText {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    init() { bytes.reserveCapacity(512) }

    /// The text, with the outermost object closed.
    var text: String { String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self) }

    mutating func open(_ key: String) {
        name(key)
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        name(key)
        string(value)
    }

    mutating func fields(_ pairs: [(String, String?)]) {
        for (key, value) in pairs { field(key, value) }
    }

    mutating func number(_ key: String, _ value: Double) {
        name(key)
        bytes.append(contentsOf: value.description.utf8)
    }

    mutating func strings(_ key: String, _ values: [String]) {
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func name(_ key: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\uXXXX`.
    private mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(contentsOf: Array(Hex.encode([byte]).utf8))
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
