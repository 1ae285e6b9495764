import ChatOpsCore
import Crypto
import Foundation

/// Slack's request signing, scheme `v0`: HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the
/// app's signing secret, sent as `X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp`.
/// Source: api.slack.com/authentication/verifying-requests-from-slack (see also slack_sdk.signature).
/// The secret is keyed into the HMAC once; each request's MAC starts from a copy of that state.
public struct SlackSignature: Sendable {
    /// Why a request was refused.
    public enum Failure: String, Error, Sendable {
        case missingHeaders = "missing_headers"
        case staleTimestamp = "stale_timestamp"
        case badSignature = "bad_signature"
    }

    /// Requests whose timestamp is further than this from now, either way, are refused (replays).
    public static let tolerance: TimeInterval = 300

    private let keyed: HMAC<SHA256>

    /// - Parameter secret: the app's signing secret.
    public init(secret: String) {
        keyed = HMAC(key: SymmetricKey(data: Data(secret.utf8)))
    }

    /// - Returns: `v0=` and the lower-case hex HMAC of the request.
    public func sign(body: [UInt8], timestamp: String) -> String {
        var mac = keyed
        mac.update(data: Array("v0:\(timestamp):".utf8))
        mac.update(data: body)
        return "v0=" + Hex.encode(mac.finalize())
    }

    /// Checks a request against the signing secret, before anything in it is trusted.
    /// - Parameters:
    ///   - body: the raw body exactly as received.
    ///   - timestamp: `X-Slack-Request-Timestamp`.
    ///   - signature: `X-Slack-Signature`.
    ///   - now: the current time.
    public func verify(body: [UInt8], timestamp: String?, signature: String?, now: Date) throws(Failure) {
        guard let timestamp, let signature, let seconds = Double(timestamp) else { throw .missingHeaders }
        guard abs(now.timeIntervalSince1970 - seconds) <= Self.tolerance else { throw .staleTimestamp }
        guard ConstantTime.equals(sign(body: body, timestamp: timestamp), signature) else { throw .badSignature }
    }

    /// `sign(body:timestamp:)` with a secret keyed for this call alone.
    public static func sign(body: [UInt8], timestamp: String, secret: String) -> String {
        SlackSignature(secret: secret).sign(body: body, timestamp: timestamp)
    }

    /// `verify(body:timestamp:signature:now:)` with a secret keyed for this call alone.
    public static func verify(body: [UInt8], timestamp: String?, signature: String?, secret: String, now: Date) throws(Failure) {
        try SlackSignature(secret: secret).verify(body: body, timestamp: timestamp, signature: signature, now: now)
    }
}
