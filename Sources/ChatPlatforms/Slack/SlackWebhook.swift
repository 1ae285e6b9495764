import ChatOpsCore
import Foundation

/// One of Slack's three request URLs (slash commands, events, interactivity). Each request is
/// verified against the signing secret before anything in it is read, then decoded; a slash
/// command the sender may run is acknowledged in the channel (see `PublicAcknowledgement`).
struct SlackWebhook: WebhookEndpoint {
    enum Kind: Sendable { case commands, events, interactive }

    let kind: Kind
    let path: String
    let signature: SlackSignature
    let parser: CommandParser
    let roles: RoleDirectory
    var platform: String { SlackInboundDecoder.platform }

    func receive(_ request: WebhookRequest) async throws(WebhookDecodingError) -> WebhookDecision {
        // A slash command's form is decoded once. Slack's certificate check carries no signature
        // (api.slack.com/interactivity/slash-commands#ssl_check).
        let form = kind == .commands ? FormURLEncoded.decode(request.text) : [:]
        if form["ssl_check"] == "1" { return .answer(.ok, note: "ignored") }
        do {
            try signature.verify(
                body: request.body, timestamp: request.header("X-Slack-Request-Timestamp"), signature: request.header("X-Slack-Signature"),
                now: request.receivedAt)
        } catch {
            return .unauthorized(reason: error.rawValue)
        }
        let decoded: SlackRequest
        do {
            switch kind {
            case .commands: decoded = try SlackInboundDecoder.slashCommand(form: form, receivedAt: request.receivedAt)
            case .events: decoded = try SlackInboundDecoder.event(body: Data(request.body), receivedAt: request.receivedAt)
            case .interactive: decoded = try SlackInboundDecoder.interaction(body: request.text, receivedAt: request.receivedAt)
            }
        } catch {
            throw WebhookDecodingError(error.description)
        }
        switch decoded {
        case .challenge(let challenge):
            return .answer(.json(["challenge": .string(challenge)]), note: "challenge")
        case .ignore:
            return .answer(.ok, note: "ignored")
        case .inbound(let inbound):
            if kind == .commands, let text = inbound.text,
                PublicAcknowledgement.isPublic(text: text, sender: inbound.sender, parser: parser, roles: roles)
            {
                return .accept(inbound, acknowledgement: .json(["response_type": "in_channel"]))
            }
            return .accept(inbound, acknowledgement: .ok)
        }
    }
}
