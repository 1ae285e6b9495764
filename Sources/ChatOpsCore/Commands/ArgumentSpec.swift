import Foundation

/// The type of a command argument, as written in `commands/*.yaml` (`type: enum`).
public enum ArgumentKind: String, Codable, Sendable, CaseIterable {
    case string
    case integer
    case enumeration = "enum"
    case percent
    case duration
    case boolean
}

/// One declared argument of a command.
///
/// Required arguments without a default are positional unless `positional: false`
/// says otherwise; every argument can also be given by name (`--env prod` or `env=prod`).
public struct ArgumentSpec: Codable, Sendable, Equatable {
    public var name: String
    public var type: ArgumentKind
    public var help: String?
    /// A regular expression a `string` value must match in full.
    public var pattern: String?
    /// Inclusive bounds for `integer` values.
    public var min: Int?
    public var max: Int?
    /// Allowed values of an `enum`.
    public var values: [String]?
    /// The value used when the argument is not given, written as a person would type it.
    public var defaultValue: String?
    public var optional: Bool?
    public var positional: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, type, help, pattern, min, max, values, optional, positional
        case defaultValue = "default"
    }

    public init(
        name: String, type: ArgumentKind, help: String? = nil, pattern: String? = nil, min: Int? = nil,
        max: Int? = nil, values: [String]? = nil, defaultValue: String? = nil, optional: Bool? = nil,
        positional: Bool? = nil
    ) {
        self.name = name
        self.type = type
        self.help = help
        self.pattern = pattern
        self.min = min
        self.max = max
        self.values = values
        self.defaultValue = defaultValue
        self.optional = optional
        self.positional = positional
    }

    /// True when the user must supply this argument.
    public var isRequired: Bool { !(optional ?? false) && defaultValue == nil }

    /// True when the argument is filled from bare words in order.
    public var isPositional: Bool { positional ?? isRequired }

    /// How the argument appears in a usage line: `<model>`, `[--env staging|prod]`.
    public var usageFragment: String {
        let placeholder: String
        switch type {
        case .enumeration: placeholder = (values ?? []).joined(separator: "|")
        case .boolean: placeholder = ""
        case .percent: placeholder = "0-100"
        case .integer: placeholder = "\(min.map(String.init) ?? "")..\(max.map(String.init) ?? "")"
        default: placeholder = name
        }
        if isPositional {
            return isRequired ? "<\(name)>" : "[\(name)]"
        }
        let flag = type == .boolean ? "--\(name)" : "--\(name) \(placeholder)"
        return "[\(flag)]"
    }
}
