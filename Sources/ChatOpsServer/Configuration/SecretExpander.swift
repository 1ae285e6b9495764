import ChatOpsCore
import Foundation

/// Reads a configuration file whose values may hold `${NAME}` (an environment variable),
/// `${NAME:-default}` or `${file:/path}` (the file's content, trailing newline removed).
///
/// Each reference is replaced by an inert placeholder before the text is parsed, so the file parses
/// the same whatever the references hold, quoted or not (`port: ${PORT}`, `{token: ${X}}`,
/// `"Bearer ${X}"`); the values are put in after parsing, into the parsed values only, so a value can
/// never change the document's structure. A value that is one reference alone is read like a plain
/// value (`port: "${PORT}"` is a number). Public so the fuzz target `Fuzz/SecretExpander` reaches it.
public enum SecretExpander {
    /// The parsed, expanded document.
    public struct Expanded {
        public var document: YAMLDocument
        /// A reference that is not set, or is set to nothing (an empty secret never turns a check off).
        public var issues: [ValidationIssue]
        /// What references resolved to, for the redactor: every file's content and every value of 8
        /// characters or more (shorter ones, such as a port, would blank out ordinary text).
        public var secrets: [String]
    }

    /// `${NAME}` and `${NAME:-default}` (an environment variable's name), or `${file:/path}`; defaults
    /// and paths hold no spaces, quotes, `#`, `,` or brackets, which YAML would read as structure.
    /// Nothing else counts as a reference, so text that only looks like one (`${a", b: "c}`) is left as written.
    private static let reference = try! NSRegularExpression(
        pattern: #"\$\{(file:[^}\s"'#,\[\]\{]+|[A-Za-z_][A-Za-z0-9_]*(?::-[^}\s"'#,\[\]\{]*)?)\}"#)

    /// - Throws: `ValidationIssue` for a YAML syntax error.
    public static func parse(file: String, text: String, environment: [String: String]) throws(ValidationIssue) -> Expanded {
        let nonce = "chatopsref" + String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(8))
        var references: [String] = []
        var held = ""
        var cursor = text.startIndex
        for match in reference.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            held += text[cursor..<range.lowerBound] + "\(nonce)x\(references.count)x"
            references.append(String(text[range]))
            cursor = range.upperBound
        }
        held += text[cursor...]
        let parsed = try YAMLDocument(file: file, text: held)
        var issues: [ValidationIssue] = []
        var secrets: [String] = []
        let document = parsed.mappingValues { value, line in
            guard value.contains(nonce) else { return (value, false) }
            let restored = restore(value, nonce: nonce, references: references)
            let expanded = expand(restored, environment: environment, resolved: { secrets.append($0) }) { message in
                issues.append(ValidationIssue(file: file, line: line, message: message))
            }
            return (expanded, isOneReference(restored))
        }
        return Expanded(document: document, issues: issues, secrets: secrets.filter { $0.count >= 8 })
    }

    /// Whether the value is exactly one reference, nothing around it.
    private static func isOneReference(_ value: String) -> Bool {
        let matches = reference.matches(in: value, range: NSRange(value.startIndex..., in: value))
        return matches.count == 1 && matches[0].range == NSRange(value.startIndex..., in: value)
    }

    /// The placeholders of `value` turned back into the references they hold.
    private static func restore(_ value: String, nonce: String, references: [String]) -> String {
        var result = value
        for (index, original) in references.enumerated().reversed() {
            result = result.replacingOccurrences(of: "\(nonce)x\(index)x", with: original)
        }
        return result
    }

    /// One value with its references expanded; `problem` hears of each one that cannot be, and
    /// `resolved` of each value a reference stood for.
    public static func expand(
        _ value: String, environment: [String: String], resolved: (String) -> Void = { _ in }, problem: (String) -> Void
    ) -> String {
        var result = ""
        var cursor = value.startIndex
        for match in reference.matches(in: value, range: NSRange(value.startIndex..., in: value)) {
            guard let whole = Range(match.range, in: value), let nameRange = Range(match.range(at: 1), in: value) else { continue }
            result += value[cursor..<whole.lowerBound]
            cursor = whole.upperBound
            let name = String(value[nameRange])
            guard let found = resolve(name, environment: environment) else {
                problem("`${\(name)}` is not set")
                result += value[whole]
                continue
            }
            if found.isEmpty, !name.contains(":-") { problem("`${\(name)}` is set but empty") }
            resolved(found)
            result += found
        }
        return result + value[cursor...]
    }

    private static func resolve(_ reference: String, environment: [String: String]) -> String? {
        if reference.hasPrefix("file:") {
            let path = String(reference.dropFirst(5))
            guard let content = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            return content.hasSuffix("\n") ? String(content.dropLast()) : content
        }
        if let colon = reference.range(of: ":-") {
            let name = String(reference[..<colon.lowerBound])
            return environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? String(reference[colon.upperBound...])
        }
        return environment[reference]
    }
}
