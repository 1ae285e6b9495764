import ChatOpsCore
import Foundation

/// Renders replies as plain text for the terminal and the web chat.
public enum ConsoleRenderer {
    /// - Parameter reply: the reply.
    /// - Returns: lines of text; buttons become the words to type (`approve k7q2m9`).
    public static func render(_ reply: Reply) -> String {
        let reply = reply.mentionSafe
        var lines: [String] = []
        let marker: String
        switch reply.tone {
        case .success: marker = "✅"
        case .error: marker = "❌"
        case .warning: marker = "⚠️"
        case .pending: marker = "⏳"
        case .info: marker = "ℹ️"
        }
        if let title = reply.title { lines.append("\(marker) \(title)") }
        lines.append(reply.title == nil ? "\(marker) \(reply.text)" : reply.text)
        let width = reply.fields.map(\.name.count).max() ?? 0
        for field in reply.fields {
            lines.append("  \(field.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(field.value)")
        }
        lines.append(contentsOf: table(reply.table))
        if !reply.buttons.isEmpty {
            lines.append("  " + reply.buttons.map { "[\($0.label)] type `\($0.typedEquivalent)`" }.joined(separator: "   "))
        }
        if let footer = reply.footer { lines.append("  — \(footer)") }
        return lines.joined(separator: "\n")
    }

    static func table(_ rows: [[String]]) -> [String] {
        guard let header = rows.first else { return [] }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            "  " + row.enumerated().map { index, cell in
                index < widths.count ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}
