import Foundation

/// When a command needs approval, and from whom, as declared under `approval:` in a command file.
public struct ApprovalPolicy: Codable, Sendable, Equatable {
    /// Argument values that make approval necessary; all must match. Absent means always.
    public var when: [String: OneOrMany]?
    /// Roles whose members may approve.
    public var approvers: [String]
    /// How many distinct approvals are needed.
    public var count: Int
    /// Whether the requester may approve their own request (off by default).
    public var selfApproval: Bool
    /// How long the request stays open, such as `2h`.
    public var expires: String
    /// Evidence the request needs before it can be approved (an evaluation of the version).
    public var requires: ApprovalRequirements?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case when, approvers, count, expires, requires
        case selfApproval = "self_approval"
    }

    public init(
        when: [String: OneOrMany]? = nil, approvers: [String], count: Int = 1, selfApproval: Bool = false,
        expires: String = "1h", requires: ApprovalRequirements? = nil
    ) {
        self.when = when
        self.approvers = approvers
        self.count = count
        self.selfApproval = selfApproval
        self.expires = expires
        self.requires = requires
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        when = try container.decodeIfPresent([String: OneOrMany].self, forKey: .when)
        approvers = try container.decode([String].self, forKey: .approvers)
        count = try container.decodeIfPresent(Int.self, forKey: .count) ?? 1
        selfApproval = try container.decodeIfPresent(Bool.self, forKey: .selfApproval) ?? false
        expires = try container.decodeIfPresent(String.self, forKey: .expires) ?? "1h"
        requires = try container.decodeIfPresent(ApprovalRequirements.self, forKey: .requires)
    }

    /// The expiry in seconds (one hour when the text is not a duration; `validate` reports that).
    public var expirySeconds: Int { DurationFormat.parse(expires) ?? 3_600 }

    /// - Parameter arguments: the resolved arguments of an invocation.
    /// - Returns: whether this policy holds the invocation for approval.
    public func applies(to arguments: [String: ArgumentValue]) -> Bool {
        guard let when else { return true }
        return when.allSatisfy { name, accepted in
            guard let value = arguments[name] else { return false }
            return accepted.values.contains { Self.matches($0, value) }
        }
    }

    /// Compares a `when:` value as written (`100%`, `60m`, `yes`) with a typed argument value, by
    /// reading the text as the value's own type; text compares without regard to case.
    static func matches(_ text: String, _ value: ArgumentValue) -> Bool {
        let kind: ArgumentKind
        switch value {
        case .string(let string): return text.caseInsensitiveCompare(string) == .orderedSame
        case .integer: kind = .integer
        case .percent: kind = .percent
        case .duration: kind = .duration
        case .boolean: kind = .boolean
        }
        return (try? ArgumentSpec(name: "when", type: kind).parseValue(text)) == value
    }
}

/// A YAML value written either as one scalar or as a list of scalars.
public struct OneOrMany: Codable, Sendable, Equatable, ExpressibleByStringLiteral {
    public var values: [String]

    public init(_ values: [String]) { self.values = values }
    public init(stringLiteral value: String) { self.values = [value] }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            values = list
        } else {
            values = [try container.decode(String.self)]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}
