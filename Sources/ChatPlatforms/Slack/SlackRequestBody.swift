import ChatOpsCore
import Foundation

/// A request body: JSON for writing methods and `response_url`, form fields for reading methods.
enum SlackRequestBody {
    case json(JSONValue)
    case form([String: String])

    /// Characters left as they are in a form value (RFC 3986 unreserved); everything else is percent-encoded.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    var contentType: String {
        switch self {
        case .json: return "application/json; charset=utf-8"
        case .form: return "application/x-www-form-urlencoded"
        }
    }

    func bytes() throws -> Data {
        switch self {
        case .json(let value):
            return try value.data()
        case .form(let fields):
            let encoded = fields.sorted { $0.key < $1.key }.map { name, value in
                "\(Self.encode(name))=\(Self.encode(value))"
            }
            return Data(encoded.joined(separator: "&").utf8)
        }
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
