import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Discord's `Invalid Form Body` details: each problem under the path of the field it concerns, as
/// `{"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}}`.
struct FormErrors {
    private(set) var tree: JSONValue = .object([:])

    var isEmpty: Bool { tree.object?.isEmpty ?? true }

    mutating func add(_ path: [String], code: String, message: String) {
        let key = path + ["_errors"]
        let earlier = tree[path: key]?.array ?? []
        tree[path: key] = .array(earlier + [["code": .string(code), "message": .string(message)]])
    }

    /// Adds a length problem when `text` (counted in Unicode scalars) is outside `range`.
    mutating func checkLength(_ text: String, _ range: ClosedRange<Int>, at path: [String]) {
        guard !range.contains(text.unicodeScalars.count) else { return }
        if range.lowerBound == 0 {
            add(path, code: "BASE_TYPE_MAX_LENGTH", message: "Must be \(range.upperBound) or fewer in length.")
        } else {
            add(path, code: "BASE_TYPE_BAD_LENGTH", message: "Must be between \(range.lowerBound) and \(range.upperBound) in length.")
        }
    }

    /// Adds a length problem when an array has more than `limit` elements.
    mutating func checkCount(_ array: [JSONValue]?, atMost limit: Int, at path: [String]) {
        if let array, array.count > limit { add(path, code: "BASE_TYPE_MAX_LENGTH", message: "Must be \(limit) or fewer in length.") }
    }
}

extension DiscordAPIDouble {
    static func json(_ value: JSONValue, status: Int = 200, headers: HTTPFields = [:]) -> Response {
        var fields: HTTPFields = [.contentType: "application/json"]
        fields.append(contentsOf: headers)
        let body = ResponseBody(byteBuffer: ByteBuffer(bytes: (try? value.data()) ?? Data()))
        return Response(status: .init(code: status), headers: fields, body: body)
    }

    /// An error as Discord sends it: `{"message": …, "code": …}`.
    static func error(_ status: Int, code: Int, _ message: String) -> Response {
        json(["message": .string(message), "code": .number(Double(code))], status: status)
    }

    static func invalidFormBody(_ errors: FormErrors) -> Response {
        json(["code": 50035, "message": "Invalid Form Body", "errors": errors.tree], status: 400)
    }

    static var invalidJSON: Response { error(400, code: 50109, "The request body contains invalid JSON.") }
    static var unknownMessage: Response { error(404, code: 10008, "Unknown Message") }

    /// The message object Discord returns, from the author's view.
    func render(_ message: Message) -> JSONValue {
        let author: JSONValue = [
            "id": .string(applicationID), "username": "chatops", "discriminator": "0", "global_name": .null, "avatar": .null, "bot": true,
        ]
        let edited: JSONValue = message.editedAt.map { JSONValue.string(Self.timestamp($0)) } ?? .null
        var object: [String: JSONValue] = [
            "id": .string(message.id), "channel_id": .string(message.channelID), "author": author, "content": .string(message.content),
            "components": .array(message.components), "embeds": .array(message.embeds), "attachments": .array(message.attachments),
            "flags": .number(Double(message.flags)), "timestamp": .string(Self.timestamp(message.createdAt)), "edited_timestamp": edited,
            "mention_everyone": false, "mentions": [], "mention_roles": [], "pinned": false,
        ]
        // Type 19 (REPLY) for a message with a reference, else 0 (DEFAULT).
        object["type"] = .number(message.fields["message_reference"] == nil ? 0 : 19)
        object["tts"] = message.fields["tts"] ?? .bool(false)
        for key in ["nonce", "message_reference"] { object[key] = message.fields[key] }
        if message.interactionToken != nil {
            object["webhook_id"] = .string(applicationID)
            object["application_id"] = .string(applicationID)
        }
        return .object(object)
    }

    /// ISO 8601 with microseconds and `+00:00`, as Discord writes its timestamps.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let text = formatter.string(from: date)
        return text.hasSuffix("Z") ? String(text.dropLast()) + "000+00:00" : text
    }
}
