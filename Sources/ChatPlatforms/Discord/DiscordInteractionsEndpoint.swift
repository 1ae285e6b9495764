import ChatOpsCore
import Crypto
import Foundation

/// The Interactions Endpoint URL. Each request's Ed25519 signature is checked before anything in it
/// is read (a refusal is answered 401, which Discord's own probes expect), then it is decoded and
/// deferred as `DiscordDeferral` says.
struct DiscordInteractionsEndpoint: WebhookEndpoint {
    let path: String
    let publicKey: Curve25519.Signing.PublicKey
    /// Requests signed longer ago than this, or this far in the future, are refused.
    let maxSignatureAge: TimeInterval
    let deferral: DiscordDeferral
    var platform: String { DiscordInteractionDecoder.platform }

    func receive(_ request: WebhookRequest) async throws(WebhookDecodingError) -> WebhookDecision {
        do {
            try DiscordSignature.verify(
                body: request.body, timestamp: request.header("X-Signature-Timestamp"), signature: request.header("X-Signature-Ed25519"),
                publicKey: publicKey, now: request.receivedAt, maxAge: maxSignatureAge)
        } catch {
            return .unauthorized(reason: error.rawValue)
        }
        return deferral.apply(to: try DiscordInteractionDecoder.decide(body: request.body, receivedAt: request.receivedAt))
    }
}
