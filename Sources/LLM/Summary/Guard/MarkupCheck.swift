import ChatOpsCore
import Foundation

/// A summary is a sentence or two of plain words: no code blocks, no Markdown or HTML, no JSON, and
/// nothing that reads as program code (`print(status())`, `return "ok"`, `a == b`), no emphasis (`*x*`,
/// `_x_`, `~x~`, which Slack would render: `was ~not~ deployed` reads as "was deployed"). A name or the
/// command in single backticks is a quotation, which `NameGrounding` checks against the data.
enum MarkupCheck {
    static let patterns: [(name: String, pattern: NSRegularExpression)] = [
        ("code", #"```|^[^`\n]*`[^`\n]*$"#),
        ("markdown", #"\*\*|__|^\s*#{1,6}\s|^\s*[-*+>]\s|\[[^\]]*\]\([^)]*\)|(?<![\w*_~])[*_~][^*_~\s][^*_~\n]*(?<!\s)[*_~](?![\w*_~])"#),
        ("html", #"</?[A-Za-z][^>]*>"#),
        ("json", #"^\s*[\[{]|[{}]|"\s*:\s*["\d\[{]"#),
        ("code", #"\b[A-Za-z_][A-Za-z0-9_]*\([^)]*\)|==|!=|=>|;\s*$|^\s*(?:return|print|def|import|let|var|const|function|class)\b"#),
    ].map { ($0.0, try! NSRegularExpression(pattern: $0.1, options: [.anchorsMatchLines])) }

    /// - Returns: what kind of markup the summary holds, or nil.
    static func markup(in summary: String) -> String? {
        let fences = summary.contains("```") ? "code" : nil
        // A quotation in single backticks is text of the data, checked by `NameGrounding`, not markup.
        let prose = quotation.stringByReplacingMatches(in: summary, range: NSRange(summary.startIndex..., in: summary), withTemplate: "“quote”")
        let range = NSRange(prose.startIndex..., in: prose)
        return fences ?? patterns.first { $0.pattern.firstMatch(in: prose, range: range) != nil }?.name
    }

    static let quotation = try! NSRegularExpression(pattern: #"`[^`\n]+`"#)
}
