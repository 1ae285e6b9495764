import ChatOpsCore
import Foundation

/// A summary is a sentence or two of plain words: no code blocks, no Markdown or HTML, no JSON, and
/// nothing that reads as program code (`print(status())`, `return "ok"`, `a == b`). A name or the command
/// in single backticks is a quotation, which `NameGrounding` checks against the data.
enum MarkupCheck {
    static let patterns: [(name: String, pattern: NSRegularExpression)] = [
        ("code", #"```|^[^`\n]*`[^`\n]*$"#),
        ("markdown", #"\*\*|__|^\s*#{1,6}\s|^\s*[-*+>]\s|\[[^\]]*\]\([^)]*\)"#),
        ("html", #"</?[A-Za-z][^>]*>"#),
        ("json", #"^\s*[\[{]|[{}]|"\s*:\s*["\d\[{]"#),
        ("code", #"\b[A-Za-z_][A-Za-z0-9_]*\([^)]*\)|==|!=|=>|->|;\s*$|^\s*(?:return|print|def|import|let|var|const|function|class)\b"#),
    ].map { ($0.0, try! NSRegularExpression(pattern: $0.1, options: [.anchorsMatchLines])) }

    /// - Returns: what kind of markup the summary holds, or nil.
    static func markup(in summary: String) -> String? {
        let range = NSRange(summary.startIndex..., in: summary)
        return patterns.first { $0.pattern.firstMatch(in: summary, range: range) != nil }?.name
    }
}
