import ChatOpsCore
import Crypto
import Foundation

/// The Interactions Endpoint URL. Each request's Ed25519 signature is checked before anything in it
/// is read (a refusal is answered 401, which Discord's own probes expect), then it is decoded.
///
/// A slash command is deferred where everyone sees it only when the sender may run it (the check
/// Slack's acknowledgement makes: it parses, and the sender's roles allow it). Anything else (a
/// mistake, help, a command the sender may not run) is deferred privately: Discord keeps a deferred
/// response's visibility for the reply that fills it, so only this choice keeps the answer private.
struct DiscordInteractionsEndpoint: WebhookEndpoint {
    let path: String
    let publicKey: Curve25519.Signing.PublicKey
    /// Requests signed longer ago than this, or this far in the future, are refused.
    let maxSignatureAge: TimeInterval
    /// Decides which commands are deferred in the channel; without it every command is.
    let parser: CommandParser?
    let roles: RoleDirectory
    var platform: String { DiscordInteractionDecoder.platform }

    func receive(_ request: WebhookRequest) async throws(WebhookDecodingError) -> WebhookDecision {
        do {
            try DiscordSignature.verify(
                body: request.body, timestamp: request.header("X-Signature-Timestamp"), signature: request.header("X-Signature-Ed25519"),
                publicKey: publicKey, now: request.receivedAt, maxAge: maxSignatureAge)
        } catch {
            return .unauthorized(reason: error.rawValue)
        }
        let decision = try DiscordInteractionDecoder.decide(body: request.body, receivedAt: request.receivedAt)
        return deferredPrivatelyUnlessRunnable(decision)
    }

    /// The decision, with a command the sender may not run deferred privately (type 5 with the
    /// ephemeral flag), and its reply token marked so, for the platform's first reply.
    func deferredPrivatelyUnlessRunnable(_ decision: WebhookDecision) -> WebhookDecision {
        guard let parser, case .accept(var inbound, _) = decision, case .message(let text) = inbound.kind,
            case .command(let token)? = DiscordReplyToken(inbound.conversation.replyToken),
            !SlackAcknowledgement.isPublic(text: text, sender: inbound.sender, parser: parser, roles: roles)
        else { return decision }
        inbound.conversation.replyToken = DiscordReplyToken.privateCommand(token).replyToken
        return .accept(inbound, acknowledgement: .json(["type": 5, "data": ["flags": 64]]))
    }
}
