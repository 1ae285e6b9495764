import ChatOpsCore

/// One URL a platform sends requests to. The server's one webhook path reads the body within its
/// limits, hands it here, and does what every platform shares with the decision: a refusal is
/// answered 401, audited and counted; an inbound is stored as a job (dropped when its dedupe key
/// was seen) before the acknowledgement is sent.
public protocol WebhookEndpoint: Sendable {
    /// The platform's name, as `Conversation.platform` carries it.
    var platform: String { get }
    /// The path, such as `/slack/events`.
    var path: String { get }
    /// Verifies the request by the platform's scheme, then decodes it.
    /// - Throws: `WebhookDecodingError` when a verified body is not a request this endpoint understands (400).
    func receive(_ request: WebhookRequest) async throws(WebhookDecodingError) -> WebhookDecision
}

/// What a platform made of one request.
public enum WebhookDecision: Sendable {
    /// The request failed verification. `reason` is a short code (`bad_signature`, `stale_timestamp`);
    /// nothing in the body was read.
    case unauthorized(reason: String)
    /// Answered at once with nothing stored: a URL check, a PING, an event the bot ignores. `note`
    /// names it in metrics (`ignored`, `challenge`, `ping`).
    case answer(WebhookResponse, note: String)
    /// Stored as a job, then acknowledged with `acknowledgement` (a redelivery gets the same answer).
    case accept(Inbound, acknowledgement: WebhookResponse)
}

/// A verified body that is not a request the endpoint understands. The reason is logged, never
/// echoed to the caller.
public struct WebhookDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Where verified inbounds go, from webhooks and from outward connections alike: each is stored as
/// a job before the platform is acknowledged.
public protocol InboundIntake: Sendable {
    /// Stores `inbound` as a job.
    /// - Returns: true when its dedupe key was seen before (a redelivery), and nothing was stored.
    func accept(_ inbound: Inbound) async throws -> Bool
}
