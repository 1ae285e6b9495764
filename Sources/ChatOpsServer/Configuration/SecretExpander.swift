import ChatOpsCore
import Foundation

/// Replaces `${NAME}` with the environment variable, `${NAME:-default}` with the variable or the
/// default, and `${file:/path}` with the file's content (trailing newline removed).
///
/// It runs on the values of the parsed document, never on its text: a value cannot change the
/// document's structure, and `token: "${X}"` keeps its quotes exactly once.
///
/// Public so that the fuzz target `Fuzz/SecretExpander` can reach it; the configuration loader is its only
/// caller in the bot.
public enum SecretExpander {
    private static let reference = try! NSRegularExpression(pattern: #"\$\{([^}]+)\}"#)

    /// - Returns: the document with every reference expanded, and an issue for every reference that
    ///   is not set or is set to nothing (an empty secret is a mistake, never a way to turn a check off).
    public static func expand(_ document: YAMLDocument, environment: [String: String]) -> (YAMLDocument, [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        let expanded = document.mappingValues { value, line in
            expand(value, environment: environment) { message in
                issues.append(ValidationIssue(file: document.file, line: line, message: message))
            }
        }
        return (expanded, issues)
    }

    /// One value with its references expanded; `problem` hears of each one that cannot be.
    public static func expand(_ value: String, environment: [String: String], problem: (String) -> Void) -> String {
        var result = value
        for match in reference.matches(in: value, range: NSRange(value.startIndex..., in: value)).reversed() {
            let whole = Range(match.range, in: value)!
            let name = String(value[Range(match.range(at: 1), in: value)!])
            guard let resolved = resolve(name, environment: environment) else {
                problem("`${\(name)}` is not set")
                continue
            }
            if resolved.isEmpty, !name.contains(":-") { problem("`${\(name)}` is set but empty") }
            result.replaceSubrange(Range(NSRange(whole, in: value), in: result)!, with: resolved)
        }
        return result
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
