import ChatOpsCore
import Foundation
import Logging

/// Replaces `${NAME}` with the environment variable and `${file:/path}` with the file's content
/// (trailing newline removed) in configuration text, before it is parsed.
enum SecretExpander {
    /// - Returns: the expanded text and an issue for every reference that could not be resolved.
    static func expand(_ text: String, file: String, environment: [String: String]) -> (String, [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        var lines: [String] = []
        let pattern = try! NSRegularExpression(pattern: #"\$\{([^}]+)\}"#)
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            let isComment = line.trimmingCharacters(in: .whitespaces).hasPrefix("#")
            var expanded = line
            let matches = isComment ? [] : pattern.matches(in: line, range: NSRange(line.startIndex..., in: line))
            for match in matches.reversed() {
                let whole = Range(match.range, in: line)!
                let reference = String(line[Range(match.range(at: 1), in: line)!])
                guard let value = resolve(reference, environment: environment) else {
                    issues.append(ValidationIssue(file: file, line: index + 1, message: "`${\(reference)}` is not set"))
                    continue
                }
                expanded.replaceSubrange(whole, with: yamlQuoted(value))
            }
            lines.append(expanded)
        }
        return (lines.joined(separator: "\n"), issues)
    }

    private static func resolve(_ reference: String, environment: [String: String]) -> String? {
        if reference.hasPrefix("file:") {
            let path = String(reference.dropFirst(5))
            guard let content = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            return content.hasSuffix("\n") ? String(content.dropLast()) : content
        }
        if let colon = reference.range(of: ":-") {
            let name = String(reference[..<colon.lowerBound])
            return environment[name] ?? String(reference[colon.upperBound...])
        }
        return environment[reference]
    }

    /// Values are inserted as quoted YAML scalars so a secret cannot change the document's structure.
    private static func yamlQuoted(_ value: String) -> String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
