import ChatOpsCore
import Foundation

/// Checks a JSON value against the part of JSON Schema (json-schema.org, draft 2020-12) that the
/// bot's own schemas use: `type`, `properties`, `required`, `additionalProperties: false`, `enum`,
/// `const`, `anyOf`, `minimum`, `maximum`, `maxLength` and `pattern`. Servers that ignore or only loosely follow
/// a schema are caught here before an answer is used.
public enum JSONSchemaValidator {
    /// - Returns: the first violation, as a path and a sentence (`$.arguments.env: not one of staging, prod`), or nil.
    public static func violation(of value: JSONValue, against schema: JSONValue, path: String = "$") -> String? {
        guard let rules = schema.object else { return nil }
        if let branches = rules["anyOf"]?.array {
            let failures = branches.compactMap { violation(of: value, against: $0, path: path) }
            if failures.count == branches.count {
                // The alternative that got furthest (deepest path) says most about what is wrong.
                let depth = { (failure: String) in failure.prefix { $0 != ":" }.filter { $0 == "." }.count }
                return failures.max { depth($0) < depth($1) }.map { "\($0) (and no other alternative matches)" } ?? "\(path): matches no alternative"
            }
        }
        if let constant = rules["const"], constant != value { return "\(path): must be \(describe(constant))" }
        if let allowed = rules["enum"]?.array, !allowed.contains(value) {
            return "\(path): not one of \(allowed.map(describe).joined(separator: ", "))"
        }
        if let type = rules["type"]?.string, !matches(value, type: type) { return "\(path): not a \(type)" }
        switch value {
        case .string(let text):
            if let limit = rules["maxLength"]?.number, Double(text.count) > limit { return "\(path): longer than \(Int(limit)) characters" }
            if let pattern = rules["pattern"]?.string, !matches(text, pattern: pattern) { return "\(path): does not match `\(pattern)`" }
        case .number(let number):
            if let minimum = rules["minimum"]?.number, number < minimum { return "\(path): below \(describe(.number(minimum)))" }
            if let maximum = rules["maximum"]?.number, number > maximum { return "\(path): above \(describe(.number(maximum)))" }
        case .object(let members):
            for name in rules["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
                return "\(path): `\(name)` is missing"
            }
            let properties = rules["properties"]?.object ?? [:]
            for name in members.keys.sorted() {
                if let property = properties[name] {
                    if let problem = violation(of: members[name]!, against: property, path: "\(path).\(name)") { return problem }
                } else if rules["additionalProperties"] == .bool(false) {
                    return "\(path): unexpected `\(name)`"
                }
            }
        default:
            break
        }
        return nil
    }

    /// JSON Schema patterns are unanchored: they match anywhere unless they say `^` and `$`.
    static func matches(_ text: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number):
            return true
        case ("integer", .number(let number)):
            return number == number.rounded()
        default:
            return false
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        default: return (try? value.data()).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        }
    }
}
