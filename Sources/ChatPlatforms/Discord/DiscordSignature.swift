import ChatOpsCore
import Crypto
import Foundation

/// Discord's request signing (discord.com/developers/docs/interactions/overview, "Validating Security
/// Request Headers"): an Ed25519 signature, hex in `X-Signature-Ed25519`, over the UTF-8 bytes of
/// `X-Signature-Timestamp` immediately followed by the raw body, checked with the application's
/// public key. Discord sends deliberately bad signatures now and then, and removes the endpoint URL
/// of an application that accepts one, so every request is checked before anything in it is read.
///
/// Discord documents no freshness window for the timestamp; the bot adds one against replays.
public enum DiscordSignature {
    /// Why a request was refused.
    public enum Failure: String, Error, Sendable {
        case missingSignature = "missing_signature"
        case malformedSignature = "malformed_signature"
        case badSignature = "bad_signature"
        case staleTimestamp = "stale_timestamp"
    }

    /// The bytes of an Ed25519 signature.
    static let signatureLength = 64
    /// The bytes of an Ed25519 public key.
    static let publicKeyLength = 32

    /// The application's public key from its hex form (as the Developer Portal shows it).
    /// - Returns: nil when the text is not 64 hex digits of a valid key.
    public static func publicKey(hex: String) -> Curve25519.Signing.PublicKey? {
        guard let raw = Hex.decode(hex), raw.count == publicKeyLength else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    /// Checks a request before anything in it is trusted.
    /// - Parameters:
    ///   - body: the raw body exactly as received.
    ///   - timestamp: `X-Signature-Timestamp` (Unix seconds).
    ///   - signature: `X-Signature-Ed25519` (128 hex digits).
    ///   - publicKey: the application's public key.
    ///   - now: the current time.
    ///   - maxAge: requests signed longer ago than this, or this far in the future, are refused.
    public static func verify(
        body: [UInt8], timestamp: String?, signature: String?, publicKey: Curve25519.Signing.PublicKey, now: Date, maxAge: TimeInterval
    ) throws(Failure) {
        guard let timestamp, let signature else { throw .missingSignature }
        guard Hex.decode(signature)?.count == signatureLength else { throw .malformedSignature }
        guard let seconds = Double(timestamp), abs(now.timeIntervalSince1970 - seconds) <= maxAge else { throw .staleTimestamp }
        try check(signature: signature, over: Array(timestamp.utf8) + body, publicKey: publicKey)
    }

    /// Checks an Ed25519 signature (hex) over a message.
    static func check(signature: String, over message: [UInt8], publicKey: Curve25519.Signing.PublicKey) throws(Failure) {
        guard let signatureBytes = Hex.decode(signature), signatureBytes.count == signatureLength else { throw .malformedSignature }
        guard publicKey.isValidSignature(signatureBytes, for: message) else { throw .badSignature }
    }
}
