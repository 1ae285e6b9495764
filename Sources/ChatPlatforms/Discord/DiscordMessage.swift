import ChatOpsCore
import Foundation

/// Renders a platform-neutral `Reply` as a Discord message (discord.com/developers/docs/resources/message):
/// `content` in Discord's markdown, the buttons as action rows, and the ephemeral flag for a reply
/// only the asker should see.
///
/// Every piece of text first goes through `Reply.mentionSafe` (`@everyone`, `@here` … are defused),
/// and every message and edit says `allowed_mentions: {parse: []}`, so nothing the bot posts
/// notifies anyone: ordinary channel posts notify everyone and roles by default, and Discord reads
/// an edited message's mentions again with those defaults. Markdown in the text is escaped outside
/// code spans (a model name like `fraud_v2` stays as written), links are kept whole and wrapped in
/// `<…>` so they do not unfold into previews, and table cells cannot end their code block.
public enum DiscordMessage {
    /// Discord's limit on `content`, counted here in UTF-16 units, never fewer than Discord counts.
    public static let maxContent = 2_000
    public static let maxButtonLabel = 80
    public static let maxCustomID = 100
    public static let buttonsPerRow = 5
    public static let maxRows = 5
    /// The name of the file that carries a reply too long for a message.
    public static let attachmentName = "result.txt"
    static let attachedNote = "(full result attached)"
    /// Mentions parsed for notification: none.
    public static let noMentions: JSONValue = ["parse": []]

    /// A rendered message.
    public struct Rendered: Sendable, Equatable {
        /// `content`, `allowed_mentions`, `components`, and `flags: 64` for a private reply.
        public var body: JSONValue
        /// Set when the reply does not fit in a message: the whole reply as plain text, to send as
        /// `result.txt` with the message (whose content is then the reply's start and a note).
        public var attachment: String?
    }

    /// - Parameter reply: the reply as the engine wrote it; its text is made mention-safe here.
    public static func render(_ reply: Reply) -> Rendered {
        let reply = reply.mentionSafe
        var content = contentLines(reply).joined(separator: "\n")
        var attachment: String?
        if length(content) > maxContent {
            let head = headLines(reply).joined(separator: "\n")
            content = fitted(head, room: maxContent - length(attachedNote) - 1) + "\n" + attachedNote
            attachment = ConsoleRenderer.render(reply)
        }
        var body: [String: JSONValue] = ["content": .string(content), "allowed_mentions": noMentions, "components": .array(rows(reply.buttons))]
        if reply.ephemeral { body["flags"] = .number(64) }
        return Rendered(body: .object(body), attachment: attachment)
    }

    /// The title and the text.
    static func headLines(_ reply: Reply) -> [String] {
        let marker = emoji(reply.tone)
        guard let title = reply.title else { return ["\(marker) \(DiscordMarkdown.escapeOutsideCode(reply.text))"] }
        return ["\(marker) **\(DiscordMarkdown.escapeOutsideCode(title))**", DiscordMarkdown.escapeOutsideCode(reply.text)]
    }

    /// Every line of the message: the head, the fields, the table, the model's note and the footer.
    static func contentLines(_ reply: Reply) -> [String] {
        let escape = DiscordMarkdown.escapeOutsideCode
        var lines = headLines(reply)
        lines += reply.fields.map { "**\(escape($0.name)):** \(escape($0.value))" }
        if !reply.table.isEmpty {
            let rows = TextTable.lines(reply.table.map { $0.map(DiscordMarkdown.insideCodeBlock) })
            lines.append((["```"] + rows + ["```"]).joined(separator: "\n"))
        }
        if let note = reply.modelNote {
            lines.append("🤖 *\(escape(note.label)):* \(escape(note.text))\(note.writing ? " …" : "")")
        }
        if let footer = reply.footer {
            lines.append("-# " + escape(footer.replacingOccurrences(of: "\n", with: " ")))
        }
        return lines
    }

    /// The buttons as action rows of at most five buttons each.
    static func rows(_ buttons: [ButtonAction]) -> [JSONValue] {
        let shown = Array(buttons.prefix(buttonsPerRow * maxRows))
        return stride(from: 0, to: shown.count, by: buttonsPerRow).map { start -> JSONValue in
            let row = shown[start..<min(start + buttonsPerRow, shown.count)].map(component)
            return ["type": 1, "components": .array(row)]
        }
    }

    /// A button (`type 2`) whose `custom_id` is the action's payload, read back by `ButtonAction(payload:)`.
    static func component(_ button: ButtonAction) -> JSONValue {
        let label = button.label.isEmpty ? button.kind.rawValue : button.label
        return [
            "type": 2, "style": .number(Double(style(of: button.kind))), "label": .string(String(label.prefix(maxButtonLabel))),
            "custom_id": .string(String(button.payload.prefix(maxCustomID))),
        ]
    }

    /// Success (3) approves, Danger (4) rejects, Primary (1) runs, Secondary (2) cancels.
    static func style(of kind: ButtonAction.Kind) -> Int {
        switch kind {
        case .approve: return 3
        case .reject: return 4
        case .run: return 1
        case .cancel: return 2
        }
    }

    static func emoji(_ tone: Reply.Tone) -> String {
        switch tone {
        case .success: return "✅"
        case .error: return "❌"
        case .warning: return "⚠️"
        case .pending: return "⏳"
        case .info: return "ℹ️"
        }
    }

    /// The length Discord's limits are checked against here: UTF-16 units, at least as many as characters.
    static func length(_ text: String) -> Int { text.utf16.count }

    /// The text cut to `room` UTF-16 units, ending in `…` when it was cut.
    static func fitted(_ text: String, room: Int) -> String {
        guard length(text) > room else { return text }
        var kept = ""
        var used = 0
        for character in text {
            let size = String(character).utf16.count
            guard used + size <= room - 1 else { break }
            kept.append(character)
            used += size
        }
        return kept + "…"
    }
}
