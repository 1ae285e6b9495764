import ChatOpsCore
import Foundation

/// Renders a platform-neutral `Reply` as a Slack message: Block Kit blocks plus the fallback `text`.
///
/// Every piece of text from users, backends or a model first goes through `Reply.mentionSafe` (as on
/// every other platform: `@here`, `@channel`, `@everyone` … are defused), then is escaped (`&`, `<`,
/// `>`), which also makes `<!channel>`, `<!here>`, `<!everyone>`, `<@U…>` and `<!subteam^…>` inert.
/// Every `mrkdwn` text object is `verbatim`, so Slack does not auto-link URLs or channel names or
/// parse mentions in it (docs.slack.dev/reference/block-kit/composition-objects/text-object).
/// Limits follow the Block Kit reference (api.slack.com/reference/block-kit): 50 blocks, 3,000
/// characters of section text, 10 fields of 2,000 characters, button text 75, button value 2,000.
public enum SlackBlockKit {
    public static let maxBlocks = 50
    public static let maxSectionText = 3_000
    public static let maxFieldText = 2_000
    public static let maxFallbackText = 3_000

    /// A rendered message.
    public struct Message: Sendable, Equatable {
        public var text: String
        public var blocks: [JSONValue]
        /// True when something did not fit and the whole reply should be uploaded as a file instead.
        public var tooLong: Bool
    }

    /// Escapes text for mrkdwn: only `&`, `<` and `>`, as Slack asks.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A `mrkdwn` text object that Slack shows as written: formatting applies, but nothing in it is
    /// turned into a link or a mention.
    static func mrkdwn(_ text: String) -> JSONValue {
        ["type": "mrkdwn", "text": .string(text), "verbatim": true]
    }

    /// - Parameter reply: the reply as the engine wrote it; its text is made mention-safe here.
    public static func render(_ reply: Reply) -> Message {
        let reply = reply.mentionSafe
        var blocks: [JSONValue] = []
        var tooLong = false
        func section(_ text: String) {
            tooLong = tooLong || text.count > maxSectionText
            blocks.append(["type": "section", "text": mrkdwn(String(text.prefix(maxSectionText)))])
        }
        let emoji = Self.emoji(reply.tone)
        let title = reply.title.map { "\(emoji) *\(escape($0))*" }
        section([title, title == nil ? "\(emoji) \(escape(reply.text))" : escape(reply.text)].compactMap { $0 }.joined(separator: "\n"))
        for chunk in stride(from: 0, to: reply.fields.count, by: 10) {
            let fields = reply.fields[chunk..<min(chunk + 10, reply.fields.count)].map { field -> JSONValue in
                let text = "*\(escape(field.name))*\n\(escape(field.value))"
                tooLong = tooLong || text.count > maxFieldText
                return mrkdwn(String(text.prefix(maxFieldText)))
            }
            blocks.append(["type": "section", "fields": .array(fields)])
        }
        if !reply.table.isEmpty {
            section("```\n" + escape(TextTable.lines(reply.table).joined(separator: "\n")) + "\n```")
        }
        if let note = reply.modelNote {
            section(":robot_face: _\(escape(note.label)):_\n\(escape(note.text))\(note.writing ? " …" : "")")
        }
        if !reply.buttons.isEmpty {
            let elements = reply.buttons.map { button -> JSONValue in
                var element: [String: JSONValue] = [
                    "type": "button", "action_id": .string(button.kind.rawValue),
                    "text": ["type": "plain_text", "text": .string(String(button.label.prefix(75)))],
                    "value": .string(button.payload),
                ]
                if let style = style(of: button.kind) { element["style"] = .string(style) }
                return .object(element)
            }
            blocks.append(["type": "actions", "elements": .array(elements)])
        }
        if let footer = reply.footer {
            blocks.append(["type": "context", "elements": [mrkdwn(escape(footer))]])
        }
        tooLong = tooLong || blocks.count > maxBlocks
        let fallback = [reply.title, reply.text].compactMap { $0 }.joined(separator: ": ")
        return Message(text: String(escape(fallback).prefix(maxFallbackText)), blocks: Array(blocks.prefix(maxBlocks)), tooLong: tooLong)
    }

    /// Approve and Run are primary, Reject is danger, Cancel is plain (Slack has no neutral style value).
    static func style(of kind: ButtonAction.Kind) -> String? {
        switch kind {
        case .approve, .run: return "primary"
        case .reject: return "danger"
        case .cancel: return nil
        }
    }

    static func emoji(_ tone: Reply.Tone) -> String {
        switch tone {
        case .success: return ":white_check_mark:"
        case .error: return ":x:"
        case .warning: return ":warning:"
        case .pending: return ":hourglass_flowing_sand:"
        case .info: return ":information_source:"
        }
    }
}
