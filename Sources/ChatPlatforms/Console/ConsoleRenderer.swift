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
        lines.append(contentsOf: TextTable.lines(reply.table).map { "  " + $0 })
        if let note = reply.modelNote {
            lines.append("  🤖 \(note.label): \(note.text)\(note.writing ? " …" : "")")
        }
        if !reply.buttons.isEmpty {
            lines.append("  " + reply.buttons.map { "[\($0.label)] type `\($0.typedEquivalent)`" }.joined(separator: "   "))
        }
        if let footer = reply.footer { lines.append("  — \(footer)") }
        return lines.joined(separator: "\n")
    }
}
