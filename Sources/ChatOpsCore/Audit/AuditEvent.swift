import Crypto
import Foundation

/// One entry of the append-only audit log. Each entry carries the hash of the one before it, so
/// any change to history breaks the chain at a point `AuditChain.verify` can name.
public struct AuditEvent: Codable, Sendable, Equatable {
    public var sequence: Int64
    /// Milliseconds since 1970, the precision the hash covers.
    public var timestampMillis: Int64
    /// What happened: `inbound`, `decision`, `approval.vote`, `action.start`, `action.end`, `reply` …
    public var kind: String
    /// Who caused it (`platform:user`), when someone did.
    public var actor: String?
    /// What it concerns (a job, an approval, a lock target).
    public var subject: String?
    public var details: [String: String]
    public var previousHash: String
    public var hash: String

    public init(
        sequence: Int64, timestampMillis: Int64, kind: String, actor: String?, subject: String?,
        details: [String: String], previousHash: String, hash: String
    ) {
        self.sequence = sequence
        self.timestampMillis = timestampMillis
        self.kind = kind
        self.actor = actor
        self.subject = subject
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }

    public var date: Date { Date(timeIntervalSince1970: Double(timestampMillis) / 1000) }
}

/// A new audit event, before the store gives it a place in the chain.
public struct AuditRecord: Sendable, Equatable {
    public var kind: String
    public var actor: String?
    public var subject: String?
    public var details: [String: String]

    public init(kind: String, actor: String? = nil, subject: String? = nil, details: [String: String] = [:]) {
        self.kind = kind
        self.actor = actor
        self.subject = subject
        self.details = details
    }
}

/// Hashing and verification of the audit chain.
public enum AuditChain {
    /// The previous hash of the first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// Seals a record into the chain after `previousHash`.
    public static func seal(
        _ record: AuditRecord, sequence: Int64, timestampMillis: Int64, previousHash: String
    ) -> AuditEvent {
        var event = AuditEvent(
            sequence: sequence, timestampMillis: timestampMillis, kind: record.kind, actor: record.actor,
            subject: record.subject, details: record.details, previousHash: previousHash, hash: "")
        event.hash = hash(of: event)
        return event
    }

    /// The hash of an event's content and its predecessor's hash.
    public static func hash(of event: AuditEvent) -> String {
        var text = "\(event.sequence)\u{1F}\(event.timestampMillis)\u{1F}\(event.kind)\u{1F}\(event.actor ?? "")"
        text += "\u{1F}\(event.subject ?? "")\u{1F}\(event.previousHash)"
        for key in event.details.keys.sorted() {
            text += "\u{1E}\(key)\u{1F}\(event.details[key]!)"
        }
        return Hex.encode(SHA256.hash(data: Data(text.utf8)))
    }

    /// The result of checking a chain.
    public enum Verification: Sendable, Equatable {
        case intact(count: Int)
        case broken(sequence: Int64, reason: String)
    }

    /// Checks every event's hash and link, in order.
    /// - Parameter events: the whole log, by sequence.
    /// - Returns: `.intact`, or the first broken event and why.
    public static func verify(_ events: some Sequence<AuditEvent>) -> Verification {
        var previous = genesis
        var count = 0
        var lastSequence: Int64 = 0
        for event in events {
            if event.sequence != lastSequence + 1 {
                return .broken(sequence: event.sequence, reason: "sequence jumps from \(lastSequence) to \(event.sequence)")
            }
            if event.previousHash != previous {
                return .broken(sequence: event.sequence, reason: "it does not link to event \(lastSequence)")
            }
            if hash(of: event) != event.hash {
                return .broken(sequence: event.sequence, reason: "its content does not match its hash")
            }
            previous = event.hash
            lastSequence = event.sequence
            count += 1
        }
        return .intact(count: count)
    }
}
