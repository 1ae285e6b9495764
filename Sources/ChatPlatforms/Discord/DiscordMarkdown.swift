import Foundation

/// Escaping for Discord's markdown, so text from users, backends or a model shows as written:
/// `fraud_v2` is not italic, `[docs](https://…)` is not a disguised link, `# x` is not a heading.
/// Discord drops a backslash before any punctuation, so escaped text reads the same.
enum DiscordMarkdown {
    /// Characters that format anywhere in a line (`<` starts mentions, channels, emoji and timestamps).
    static let formatting: Set<Character> = ["\\", "*", "_", "~", "`", "|", "[", "]", "<"]
    /// Characters that format at the start of a line: quotes, headings and lists (`-# ` is small text).
    static let lineStarters: Set<Character> = [">", "#", "-", "+"]
    /// A link, without the punctuation that usually ends the sentence around it.
    static let link = try! NSRegularExpression(pattern: #"https?://[^\s<>]*[^\s<>.,;:!?)\]'"]"#)

    /// Escapes text that has no intended formatting; links are kept whole and wrapped in `<…>` (no preview).
    static func escape(_ text: String) -> String {
        var result = ""
        var lineStart = true
        var cursor = text.startIndex
        for match in link.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text), range.lowerBound >= cursor else { continue }
            result += escaped(text[cursor..<range.lowerBound], lineStart: &lineStart)
            result += "<\(text[range])>"
            lineStart = false
            cursor = range.upperBound
        }
        return result + escaped(text[cursor...], lineStart: &lineStart)
    }

    /// Escapes text outside its code spans: the engine marks commands and ids with backticks, and
    /// nothing inside a code span is formatted. A backtick without a partner is escaped.
    static func escapeOutsideCode(_ text: String) -> String {
        let parts = text.components(separatedBy: "`")
        // Odd parts are inside a span, except the last when the backticks do not pair up.
        func isCode(_ index: Int) -> Bool { index % 2 == 1 && index < parts.count - 1 }
        var result = ""
        for (index, part) in parts.enumerated() {
            if index > 0 { result += isCode(index) || isCode(index - 1) ? "`" : "\\`" }
            result += isCode(index) ? part : escape(part)
        }
        return result
    }

    /// A table cell for a code block: a backtick there could close the block, so it becomes a look-alike.
    static func insideCodeBlock(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "\u{02CB}")
    }

    private static func escaped(_ text: Substring, lineStart: inout Bool) -> String {
        var result = ""
        for character in text {
            if formatting.contains(character) || (lineStart && lineStarters.contains(character)) { result.append("\\") }
            result.append(character)
            if character == "\n" {
                lineStart = true
            } else if character != " " {
                lineStart = false
            }
        }
        return result
    }
}
