import ChatOpsCore
import Crypto
import Foundation

/// Slack's request signing, scheme `v0`: HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the
/// app's signing secret, sent as `X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp`.
/// Source: api.slack.com/authentication/verifying-requests-from-slack (see also slack_sdk.signature).
public enum SlackSignature {
    /// Why a request was refused.
    public enum Failure: String, Error, Sendable {
        case missingHeaders = "missing_headers"
        case staleTimestamp = "stale_timestamp"
        case badSignature = "bad_signature"
    }

    /// Requests whose timestamp is further than this from now, either way, are refused (replays).
    public static let tolerance: TimeInterval = 300

    /// - Returns: `v0=` and the lower-case hex HMAC of the request.
    public static func sign(body: some Sequence<UInt8>, timestamp: String, secret: String) -> String {
        var message = Data("v0:\(timestamp):".utf8)
        message.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "v0=" + Hex.encode(mac)
    }

    /// Checks a request against the signing secret, before anything in it is trusted.
    /// - Parameters:
    ///   - body: the raw body exactly as received.
    ///   - timestamp: `X-Slack-Request-Timestamp`.
    ///   - signature: `X-Slack-Signature`.
    ///   - secret: the signing secret.
    ///   - now: the current time.
    public static func verify(
        body: some Sequence<UInt8>, timestamp: String?, signature: String?, secret: String, now: Date
    ) throws(Failure) {
        guard let timestamp, let signature, let seconds = Double(timestamp) else { throw .missingHeaders }
        guard abs(now.timeIntervalSince1970 - seconds) <= tolerance else { throw .staleTimestamp }
        let expected = sign(body: body, timestamp: timestamp, secret: secret)
        guard ConstantTime.equals(expected, signature) else { throw .badSignature }
    }
}
