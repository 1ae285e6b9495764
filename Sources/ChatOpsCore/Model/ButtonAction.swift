import Foundation

/// A button the bot renders; a click comes back as an `Inbound` of kind `.button`.
///
/// It answers one pending request (an approval or a proposed command) and carries the start of the
/// fingerprint of the command shown, so a click answers only the command its person saw. Platforms
/// carry it as `payload`, one compact string every platform fits: Telegram allows 64 bytes of
/// `callback_data`, Discord 100 characters of `custom_id`.
public struct ButtonAction: Sendable, Equatable {
    /// `approve`/`reject` vote on an approval request; `run`/`cancel` answer a proposed command.
    public enum Kind: String, Codable, Sendable, CaseIterable { case approve, reject, run, cancel }

    public var kind: Kind
    public var label: String
    /// The approval or proposal the button answers.
    public var requestID: String
    /// The fingerprint of the command shown, or its start (`fingerprintLength` hex digits).
    public var fingerprint: String
    /// The hex digits of the fingerprint a payload keeps: 64 bits tell one command from another.
    public static let fingerprintLength = 16

    public init(kind: Kind, label: String, requestID: String, fingerprint: String) {
        self.kind = kind
        self.label = label
        self.requestID = requestID
        self.fingerprint = String(fingerprint.prefix(Self.fingerprintLength))
    }

    /// `approve:k7q2m9:0123456789abcdef`: the kind, the request id and the fingerprint's start.
    public var payload: String { "\(kind.rawValue):\(requestID):\(fingerprint)" }

    /// Reads a payload back (label: the kind's name); nil when it is not one of the bot's buttons.
    public init?(payload: String) {
        let parts = payload.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let kind = Kind(rawValue: parts[0]), !parts[1].isEmpty,
            parts[2].count == Self.fingerprintLength, parts[2].allSatisfy(\.isHexDigit)
        else { return nil }
        self.init(kind: kind, label: kind.rawValue, requestID: parts[1], fingerprint: parts[2])
    }

    /// A button rendered before payloads were compact: its kind said apart (Slack's `action_id`), its
    /// value `<request id>:<whole fingerprint>`. Buttons on requests still pending from then work.
    public init?(kind: Kind, legacyValue: String) {
        let parts = legacyValue.split(separator: ":").map(String.init)
        guard parts.count == 2, parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else { return nil }
        self.init(kind: kind, label: kind.rawValue, requestID: parts[0], fingerprint: parts[1])
    }

    /// The typed equivalent of a click, for platforms without buttons.
    public var typedEquivalent: String { "\(kind.rawValue) \(requestID)" }
}

extension ButtonAction: Codable {
    enum CodingKeys: String, CodingKey { case kind, label, value }

    /// Stored and sent as `{kind, label, value: payload}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(label, forKey: .label)
        try container.encode(payload, forKey: .value)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let value = try container.decode(String.self, forKey: .value)
        if let read = ButtonAction(payload: value) {
            self = read
        } else if let kind = try container.decodeIfPresent(Kind.self, forKey: .kind), let read = ButtonAction(kind: kind, legacyValue: value) {
            self = read
        } else {
            throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "not a button payload of the bot")
        }
        label = try container.decodeIfPresent(String.self, forKey: .label) ?? label
    }
}

extension String {
    /// Whether this fingerprint, as a click carried it (its start, `ButtonAction.fingerprintLength`
    /// hex digits at least), is the start of the fingerprint `full`.
    func isFingerprintStart(of full: String) -> Bool {
        count >= ButtonAction.fingerprintLength && full.hasPrefix(self)
    }
}
