import ChatOpsCore
import Foundation

/// One request a webhook received, before anything in it is trusted: the platform verifies it
/// against these raw bytes, then decodes it.
public struct WebhookRequest: Sendable {
    public var path: String
    /// Header values by lowercased name (the first value of a repeated header).
    public var headers: [String: String]
    public var body: [UInt8]
    public var receivedAt: Date

    public init(path: String, headers: [String: String], body: [UInt8], receivedAt: Date = Date()) {
        self.path = path
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
        self.receivedAt = receivedAt
    }

    /// The value of a header, whatever the case of its name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// What a webhook answers: a status, and a body with its content type.
public struct WebhookResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]
    public var contentType: String?

    public init(status: Int, body: [UInt8] = [], contentType: String? = nil) {
        self.status = status
        self.body = body
        self.contentType = contentType
    }

    /// 200 with no body.
    public static let ok = WebhookResponse(status: 200)

    /// A JSON body.
    public static func json(_ value: JSONValue, status: Int = 200) -> WebhookResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = (try? encoder.encode(value)).map(Array.init) ?? Array("{}".utf8)
        return WebhookResponse(status: status, body: bytes, contentType: "application/json")
    }
}
