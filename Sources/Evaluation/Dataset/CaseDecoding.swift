import ChatOpsCore
import Foundation
import LLM

/// Turns one dataset line's JSON into a case, or says exactly what is wrong with it.
enum CaseDecoding {
    struct Failure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static func evalCase(_ value: JSONValue, line: Int) throws(Failure) -> EvalCase {
        guard let object = value.object else { throw Failure("a case must be a JSON object") }
        let id = object["id"].map { $0.string ?? $0.int.map(String.init) ?? "" } ?? "line-\(line)"
        guard !id.isEmpty else { throw Failure("`id` must be a string or a number") }
        guard let checks = object["checks"]?.array, !checks.isEmpty else { throw Failure("`checks` must be a non-empty list") }
        return EvalCase(
            id: id, messages: try messages(object), slice: try optionalString(object, "slice"),
            checks: try checks.enumerated().map { index, check throws(Failure) in try Self.check(check, at: index) })
    }

    private static func messages(_ object: [String: JSONValue]) throws(Failure) -> [ChatMessage] {
        switch (object["input"], object["messages"]) {
        case (.string(let prompt)?, nil):
            return [ChatMessage(.user, prompt)]
        case (nil, .array(let list)?) where !list.isEmpty:
            return try list.map { item throws(Failure) in
                guard let role = item["role"]?.string.flatMap(ChatMessage.Role.init(rawValue:)), let content = item["content"]?.string else {
                    throw Failure("each message needs a `role` (system, user or assistant) and a `content` string")
                }
                return ChatMessage(role, content)
            }
        default:
            throw Failure("a case needs either `input` (a prompt) or `messages` (a non-empty list), not both")
        }
    }

    private static func check(_ value: JSONValue, at index: Int) throws(Failure) -> EvalCheck {
        let label = "check \(index + 1)"
        guard let object = value.object, let type = object["type"]?.string else { throw Failure("\(label) needs a `type`") }
        let ignoreCase = object["ignore_case"] == .bool(true)
        func text(_ key: String) throws(Failure) -> String {
            guard let value = object[key]?.string else { throw Failure("\(label) (\(type)) needs `\(key)` as a string") }
            return value
        }
        func number(_ key: String, default fallback: Double? = nil) throws(Failure) -> Double {
            guard let value = object[key]?.number ?? fallback else { throw Failure("\(label) (\(type)) needs `\(key)` as a number") }
            return value
        }
        switch type {
        case "exact": return .exact(try text("value"), ignoreCase: ignoreCase)
        case "contains": return .contains(try text("value"), ignoreCase: ignoreCase)
        case "not_contains": return .notContains(try text("value"), ignoreCase: ignoreCase)
        case "regex":
            let pattern = try text("pattern")
            guard (try? Regex(pattern)) != nil else { throw Failure("\(label) (regex): `\(pattern)` is not a valid regular expression") }
            return .regex(pattern)
        case "json_schema":
            guard let schema = object["schema"], schema.object != nil else { throw Failure("\(label) (json_schema) needs `schema` as an object") }
            if let unsupported = unsupportedKeyword(in: schema) {
                throw Failure(
                    "\(label) (json_schema): `\(unsupported)` is not supported (only \(supportedSchemaKeywords.sorted().joined(separator: ", ")))")
            }
            return .jsonSchema(schema)
        case "number": return .number(try number("value"), tolerance: abs(try number("tolerance", default: 0)))
        case "max_latency_ms": return .maxLatency(milliseconds: try number("value"))
        case "judge": return .judge(rubric: try text("rubric"))
        default:
            throw Failure(
                "\(label): unknown type `\(type)` (exact, contains, not_contains, regex, json_schema, number, max_latency_ms, judge)")
        }
    }

    /// The JSON Schema keywords the validator applies (`JSONSchemaValidator`), and two it may ignore.
    static let supportedSchemaKeywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "enum", "const", "anyOf", "minimum", "maximum", "maxLength", "pattern",
        "description", "title",
    ]

    /// The first keyword the validator would ignore, so that a check never passes on a rule it skipped.
    static func unsupportedKeyword(in schema: JSONValue) -> String? {
        guard let rules = schema.object else { return nil }
        if let unknown = rules.keys.sorted().first(where: { !supportedSchemaKeywords.contains($0) }) { return unknown }
        if let type = rules["type"], type.string == nil { return "type (as a list)" }
        let nested = (rules["properties"]?.object?.values.map { $0 } ?? []) + (rules["anyOf"]?.array ?? [])
        return nested.lazy.compactMap { unsupportedKeyword(in: $0) }.first
    }

    private static func optionalString(_ object: [String: JSONValue], _ key: String) throws(Failure) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard let text = value.string else { throw Failure("`\(key)` must be a string") }
        return text
    }
}
