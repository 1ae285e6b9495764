import ChatOpsCore
import Foundation

extension SlackSocketModeDouble {
    /// One envelope for the bot: what Slack would have posted to a request URL, wrapped as Socket Mode
    /// sends it.
    public struct Envelope: Sendable {
        public var id: String
        /// `events_api`, `slash_commands` or `interactive`.
        public var type: String
        public var payload: JSONValue
        public var acceptsResponsePayload: Bool

        /// - Parameter acceptsResponsePayload: by default, true for slash commands only.
        public init(id: String = UUID().uuidString.lowercased(), type: String, payload: JSONValue, acceptsResponsePayload: Bool? = nil) {
            self.id = id
            self.type = type
            self.payload = payload
            self.acceptsResponsePayload = acceptsResponsePayload ?? (type == "slash_commands")
        }

        /// A slash command: the fields Slack posts as a form over HTTP, as a JSON object.
        public static func slashCommand(id: String = UUID().uuidString.lowercased(), _ fields: [String: String]) -> Envelope {
            Envelope(id: id, type: "slash_commands", payload: .object(fields.mapValues { JSONValue.string($0) }))
        }

        /// An Events API delivery: the body Slack posts over HTTP (`event_callback`).
        public static func event(id: String = UUID().uuidString.lowercased(), _ body: JSONValue) -> Envelope {
            Envelope(id: id, type: "events_api", payload: body)
        }

        /// An interaction: the JSON Slack posts over HTTP in the form field `payload`.
        public static func interaction(id: String = UUID().uuidString.lowercased(), _ payload: JSONValue) -> Envelope {
            Envelope(id: id, type: "interactive", payload: payload)
        }

        /// The message as written, `retryAttempt` times after the first (Slack gives the reason of a retry).
        func message(retryAttempt: Int) -> JSONValue {
            [
                "envelope_id": .string(id), "type": .string(type), "payload": payload, "accepts_response_payload": .bool(acceptsResponsePayload),
                "retry_attempt": .number(Double(retryAttempt)), "retry_reason": .string(retryAttempt > 0 ? "timeout" : ""),
            ]
        }
    }
}
