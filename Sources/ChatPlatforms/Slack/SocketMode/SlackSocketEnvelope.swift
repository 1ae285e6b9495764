import ChatOpsCore
import Foundation

/// One message Slack sends over a Socket Mode connection (docs.slack.dev/apis/events-api/using-socket-mode):
/// `hello` when the connection is ready, `disconnect` before Slack closes it, and envelopes that carry
/// what Slack would otherwise post to the request URLs (`events_api`, `slash_commands`, `interactive`).
/// Each envelope is acknowledged by sending its `envelope_id` back; an unacknowledged one is delivered
/// again with a higher `retry_attempt`.
struct SlackSocketEnvelope: Decodable, Sendable {
    static let eventsAPI = "events_api"
    static let slashCommands = "slash_commands"
    static let interactive = "interactive"

    var type: String
    var envelopeID: String?
    /// What Slack would have posted over HTTP: the Events API body, the slash command's fields as an
    /// object, or the interaction payload.
    var payload: JSONValue?
    /// Whether the acknowledgement may carry a response (slash commands: `response_type`).
    var acceptsResponsePayload: Bool
    /// 0 for the first delivery.
    var retryAttempt: Int
    var retryReason: String?
    /// Why a `disconnect` came: `refresh_requested`, `warning` or `link_disabled`.
    var reason: String?
    /// `hello`: how many connections the app has open.
    var numConnections: Int?
    /// `hello` and `disconnect`: the Slack host, for logs.
    var debugHost: String?

    enum CodingKeys: String, CodingKey {
        case type, payload, reason
        case envelopeID = "envelope_id", acceptsResponsePayload = "accepts_response_payload", retryAttempt = "retry_attempt"
        case retryReason = "retry_reason", numConnections = "num_connections", debugInfo = "debug_info"
    }

    init(text: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(text.utf8))
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        envelopeID = try c.decodeIfPresent(String.self, forKey: .envelopeID)
        payload = try c.decodeIfPresent(JSONValue.self, forKey: .payload)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        // Only the type, the id and the payload matter for handling an envelope; the rest is read leniently.
        acceptsResponsePayload = (try? c.decodeIfPresent(Bool.self, forKey: .acceptsResponsePayload)) ?? false
        retryAttempt = (try? c.decodeIfPresent(Double.self, forKey: .retryAttempt)).flatMap { Int(exactly: $0) } ?? 0
        retryReason = try? c.decodeIfPresent(String.self, forKey: .retryReason)
        numConnections = (try? c.decodeIfPresent(Double.self, forKey: .numConnections)).flatMap { Int(exactly: $0) }
        debugHost = (try? c.decodeIfPresent(JSONValue.self, forKey: .debugInfo))?["host"]?.string
    }

    /// Decodes the payload with the decoder of the request URL Slack would have posted it to.
    /// - Throws: `SlackDecodingError` when the payload is missing or is not what its type says.
    func request(receivedAt: Date) throws(SlackDecodingError) -> SlackRequest {
        guard let payload else { throw SlackDecodingError(description: "a \(type) envelope without a payload") }
        switch type {
        case Self.eventsAPI:
            return try SlackInboundDecoder.event(body: Self.json(payload), receivedAt: receivedAt)
        case Self.slashCommands:
            // The fields of the form Slack posts over HTTP, as a JSON object: read as that form.
            guard let fields = payload.object?.compactMapValues(\.string) else {
                throw SlackDecodingError(description: "a slash command payload that is not an object")
            }
            let form: Data
            do { form = try SlackRequestBody.form(fields).bytes() } catch {
                throw SlackDecodingError(description: "a slash command payload that cannot be read as a form: \(error)")
            }
            return try SlackInboundDecoder.slashCommand(body: String(decoding: form, as: UTF8.self), receivedAt: receivedAt)
        case Self.interactive:
            return try SlackInboundDecoder.interaction(body: String(decoding: Self.json(payload), as: UTF8.self), receivedAt: receivedAt)
        default:
            return .ignore(reason: "envelope type \(type)")
        }
    }

    /// The acknowledgement of envelope `envelopeID`: `{"envelope_id": …}`, with `payload` when given.
    static func acknowledgement(envelopeID: String, payload: JSONValue? = nil) throws -> String {
        var acknowledgement: JSONValue = ["envelope_id": .string(envelopeID)]
        if let payload { acknowledgement["payload"] = payload }
        return String(decoding: try acknowledgement.data(), as: UTF8.self)
    }

    private static func json(_ payload: JSONValue) throws(SlackDecodingError) -> Data {
        do { return try payload.data() } catch {
            throw SlackDecodingError(description: "a payload that cannot be written back as JSON: \(error)")
        }
    }
}
