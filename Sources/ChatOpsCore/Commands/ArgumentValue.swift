import Foundation

/// A typed, validated argument value.
public enum ArgumentValue: Sendable, Hashable, Codable {
    case string(String)
    case integer(Int)
    case percent(Int)
    case duration(seconds: Int)
    case boolean(Bool)

    /// The value as a template sees it (`{{canary}}` renders `10`, `{{window}}` renders `3600`).
    public var templateValue: String {
        switch self {
        case .string(let text): return text
        case .integer(let number), .percent(let number): return String(number)
        case .duration(let seconds): return String(seconds)
        case .boolean(let flag): return flag ? "true" : "false"
        }
    }

    /// The value as a person would type it (`10%` is typed `10`, durations as `1h30m`).
    public var typedForm: String {
        switch self {
        case .duration(let seconds): return DurationFormat.format(seconds: seconds)
        default: return templateValue
        }
    }

    /// The value for display (`10%`, `1h30m`).
    public var displayValue: String {
        switch self {
        case .percent(let number): return "\(number)%"
        default: return typedForm
        }
    }
}

/// Why a typed value was refused.
public struct ArgumentValueError: Error, Sendable, Equatable {
    public var argument: String
    public var message: String
    public var suggestions: [String]
}

extension ArgumentSpec {
    /// Validates raw text against this argument's type and constraints.
    /// - Parameter raw: the text the user typed.
    /// - Returns: the typed value.
    public func parseValue(_ raw: String) throws(ArgumentValueError) -> ArgumentValue {
        func fail(_ message: String, _ suggestions: [String] = []) -> ArgumentValueError {
            ArgumentValueError(argument: name, message: message, suggestions: suggestions)
        }
        switch type {
        case .string:
            if raw.isEmpty { throw fail("`\(name)` must not be empty") }
            if let pattern, !Self.matches(raw, pattern: pattern) {
                throw fail("`\(raw)` is not a valid \(name) (it must match `\(pattern)`)")
            }
            return .string(raw)
        case .integer:
            guard let number = Int(raw) else { throw fail("`\(name)` must be a whole number, not `\(raw)`") }
            if let min, number < min { throw fail("`\(name)` must be at least \(min), not \(number)") }
            if let max, number > max { throw fail("`\(name)` must be at most \(max), not \(number)") }
            return .integer(number)
        case .percent:
            let digits = raw.hasSuffix("%") ? String(raw.dropLast()) : raw
            guard let number = Int(digits), (0...100).contains(number) else {
                throw fail("`\(name)` must be a percentage from 0 to 100, not `\(raw)`")
            }
            return .percent(number)
        case .duration:
            guard let seconds = DurationFormat.parse(raw) else {
                throw fail("`\(name)` must be a duration such as 30s, 15m, 2h or 1d, not `\(raw)`")
            }
            return .duration(seconds: seconds)
        case .boolean:
            switch raw.lowercased() {
            case "true", "yes", "on", "1": return .boolean(true)
            case "false", "no", "off", "0": return .boolean(false)
            default: throw fail("`\(name)` must be true or false, not `\(raw)`")
            }
        case .enumeration:
            let allowed = values ?? []
            if let match = allowed.first(where: { $0.caseInsensitiveCompare(raw) == .orderedSame }) {
                return .string(match)
            }
            let close = EditDistance.closest(to: raw, among: allowed)
            throw fail(
                "`\(raw)` is not a valid \(name); choose one of \(allowed.joined(separator: ", "))",
                close.isEmpty ? allowed : close)
        }
    }

    static func matches(_ text: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, range: range) else { return false }
        return match.range == range
    }
}
