import ChatOpsCore
import Foundation

/// Checks a model's intent answer and turns it into a command, or says why it cannot.
public enum IntentAnswer {
    /// - Parameters:
    ///   - answer: the model's text, which should be JSON matching `IntentSchema`.
    ///   - words: what the person wrote; every value in the answer must come from it.
    ///   - parser: parses the resulting command exactly as a typed one.
    ///   - interpretedBy: the model's name.
    public static func resolve(_ answer: String, words: String, parser: CommandParser, interpretedBy: String) -> IntentResult {
        guard let json = object(in: answer) else { return .notUnderstood(reason: "the model's answer was not JSON") }
        if let problem = JSONSchemaValidator.violation(of: json, against: IntentSchema.schema(for: parser.registry.specs)) {
            return .notUnderstood(reason: "the model's answer did not match any command (\(problem))")
        }
        guard let name = json["command"]?.string, name != IntentSchema.noCommand, let spec = parser.registry.command(named: name) else {
            return .notUnderstood(reason: "no command fits the request")
        }
        let parameters = json["parameters"]?.object ?? [:]
        var line = [spec.name]
        for argument in spec.args {
            guard let value = parameters[argument.name], let typed = typedForm(value) else { continue }
            if let problem = ungrounded(typed, argument: argument, words: words) ?? misplaced(typed, argument: argument, in: spec) {
                return .notUnderstood(reason: problem)
            }
            line.append("\(argument.name)=\(Invocation.quoted(typed))")
        }
        do {
            guard case .command(let invocation) = try parser.parse(line.joined(separator: " ")) else {
                return .notUnderstood(reason: "no command fits the request")
            }
            return .understood(invocation, interpretedBy: interpretedBy)
        } catch {
            return .notUnderstood(reason: error.message)
        }
    }

    /// The first JSON object in the text (models sometimes wrap it in prose or a code fence).
    static func object(in text: String) -> JSONValue? {
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"), start < end else { return nil }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text[start...end].utf8)), value.object != nil else { return nil }
        return value
    }

    static func typedForm(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    /// A free-text value that is one of another argument's choices (`model: prod`) was put in the wrong place.
    static func misplaced(_ value: String, argument: ArgumentSpec, in spec: CommandSpec) -> String? {
        guard argument.type == .string, let other = spec.args.first(where: { $0.name != argument.name && ($0.values ?? []).contains(value) }) else {
            return nil
        }
        return "I'm not sure about `\(argument.name)`: `\(value)` looks like a value of `\(other.name)`"
    }

    /// A value the person did not say is refused, unless it is the argument's default: a model must
    /// not pick the model, version or environment for them. Values must stand as whole words
    /// (`v1` is not said by `v12`, `prod` not by `preprod`); a choice may be said by a longer word
    /// (`production` says `prod`); a switch that differs from its default must be named.
    static func ungrounded(_ value: String, argument: ArgumentSpec, words: String) -> String? {
        if let defaultValue = argument.defaultValue, defaultValue.caseInsensitiveCompare(value) == .orderedSame { return nil }
        let said: Bool
        switch argument.type {
        case .boolean:
            if argument.defaultValue == nil, value == "false" { return nil }
            let name = argument.name.replacingOccurrences(of: "_", with: "[ _-]").replacingOccurrences(of: "-", with: "[ _-]")
            said = contains(words, pattern: "(?<![A-Za-z0-9])\(name)(?![A-Za-z0-9])")
        case .integer, .percent:
            said = contains(words, pattern: "(?<![A-Za-z0-9_.])\(NSRegularExpression.escapedPattern(for: value))(?![A-Za-z0-9_]|\\.[0-9])")
        case .enumeration:
            said = contains(words, pattern: "(?<![A-Za-z0-9])\(NSRegularExpression.escapedPattern(for: value))")
        case .string, .duration:
            said = contains(words, pattern: "(?<![A-Za-z0-9])\(NSRegularExpression.escapedPattern(for: value))(?![A-Za-z0-9])")
        }
        return said ? nil : "I'm not sure about `\(argument.name)`: `\(value)` is not in your request"
    }

    private static func contains(_ text: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
