import ChatOpsCore
import Foundation

/// Turns a verified interaction into what the webhook does with it
/// (discord.com/developers/docs/interactions/receiving-and-responding):
/// - PING (1) is answered PONG at once: Discord checks the endpoint URL with it.
/// - A slash command (2) becomes a message, `<name> <sub-commands> <name=value …>`, as the command
///   parser reads typed text, and is deferred (type 5: the asker sees the bot thinking; the result follows).
/// - A click on one of the bot's buttons (3) becomes a button inbound, deferred without a loading
///   state (type 6); other components are acknowledged the same way and ignored.
/// - Autocomplete (4) gets no suggestions (type 8 with no choices): the bot's options have none.
/// - Anything else (a modal submit the bot never asked for, a type added later) gets a private
///   message (type 4 with the ephemeral flag): Discord documents that callback for every
///   interaction but PING and autocomplete, so the person is told rather than left waiting.
public enum DiscordInteractionDecoder {
    public static let platform = "discord"
    /// Channel types that are threads: announcement (10), public (11) and private (12).
    static let threadTypes: Set<Int> = [10, 11, 12]
    /// Option types that name a sub-command (1) or a group of them (2) rather than carry a value.
    static let subCommandTypes: Set<Int> = [1, 2]
    static let buttonComponentType = 2

    private struct InteractionType: Decodable { var type: Int }

    /// - Parameters:
    ///   - body: the raw body, already verified.
    ///   - receivedAt: when it arrived.
    /// - Throws: `WebhookDecodingError` for a body that is not an interaction, or an interaction without what it needs.
    public static func decide(body: [UInt8], receivedAt: Date = Date()) throws(WebhookDecodingError) -> WebhookDecision {
        // A PING needs nothing but its type (Discord's own check of the URL).
        if (try? JSONDecoder().decode(InteractionType.self, from: Data(body)))?.type == 1 { return .answer(.json(["type": 1]), note: "ping") }
        let interaction: DiscordInteraction
        do {
            interaction = try JSONDecoder().decode(DiscordInteraction.self, from: Data(body))
        } catch {
            throw WebhookDecodingError("not a Discord interaction: \(error)")
        }
        switch interaction.type {
        case 1:
            return .answer(.json(["type": 1]), note: "ping")
        case 2:
            return .accept(try command(interaction, receivedAt: receivedAt), acknowledgement: .json(["type": 5]))
        case 3:
            guard let inbound = try click(interaction, receivedAt: receivedAt) else { return .answer(.json(["type": 6]), note: "ignored") }
            return .accept(inbound, acknowledgement: .json(["type": 6]))
        case 4:
            return .answer(.json(["type": 8, "data": ["choices": []]]), note: "ignored")
        default:
            let data: JSONValue = ["content": "This bot does not handle that.", "flags": 64, "allowed_mentions": ["parse": []]]
            return .answer(.json(["type": 4, "data": data]), note: "ignored")
        }
    }

    static func command(_ interaction: DiscordInteraction, receivedAt: Date) throws(WebhookDecodingError) -> Inbound {
        guard let name = interaction.data?.name, let token = interaction.token else {
            throw WebhookDecodingError("an application command needs data.name and token")
        }
        let options = interaction.data?.options ?? []
        // Built-ins read their words in order (`approve k7q2m9`, `unlock fraud@prod`), not as name=value.
        let arguments =
            CommandRegistry.builtinNames.contains(name.lowercased())
            ? options.compactMap { $0.value.flatMap(text(of:)).map(quoted) } : words(options)
        return Inbound(
            kind: .message(text: ([name] + arguments).joined(separator: " ")),
            sender: try sender(interaction), conversation: try conversation(interaction, replyToken: .command(token)),
            dedupeKey: "discord:interaction:\(interaction.id)", receivedAt: receivedAt)
    }

    /// A click on one of the bot's buttons; nil for any other component.
    static func click(_ interaction: DiscordInteraction, receivedAt: Date) throws(WebhookDecodingError) -> Inbound? {
        guard interaction.data?.componentType == buttonComponentType, let button = interaction.data?.customID.flatMap(ButtonAction.init(payload:))
        else { return nil }
        guard let token = interaction.token, let messageID = interaction.message?.id else {
            throw WebhookDecodingError("a component interaction needs token and message")
        }
        var place = try conversation(interaction, replyToken: .click(token))
        // A click on a message outside a thread belongs to the thread started from that message, which
        // has the message's own id: where the request's replies went, and where its votes are counted.
        if place.thread == nil { place.thread = messageID }
        return Inbound(
            kind: .button(button), sender: try sender(interaction), conversation: place, replyThread: messageID,
            dedupeKey: "discord:interaction:\(interaction.id)", receivedAt: receivedAt)
    }

    /// The person: `member.user` in a server, `user` in a direct message. The roles come from the
    /// signed request, so they are asserted by Discord; they are bare ids, which `roles:` matches as
    /// `discord:<role id>`.
    static func sender(_ interaction: DiscordInteraction) throws(WebhookDecodingError) -> Principal {
        guard let user = interaction.member?.user ?? interaction.user else { throw WebhookDecodingError("an interaction without a user") }
        return Principal(
            platform: platform, userID: user.id, displayName: interaction.member?.nick ?? user.globalName ?? user.username,
            groups: interaction.member?.roles ?? [])
    }

    /// The channel, and the thread when the interaction happened in one (a thread is a channel whose parent is the channel).
    static func conversation(_ interaction: DiscordInteraction, replyToken: DiscordReplyToken) throws(WebhookDecodingError) -> Conversation {
        guard let channelID = interaction.channelID ?? interaction.channel?.id else { throw WebhookDecodingError("an interaction without a channel") }
        if let channel = interaction.channel, let type = channel.type, threadTypes.contains(type), let parent = channel.parentID {
            return Conversation(platform: platform, channel: parent, thread: channelID, replyToken: replyToken.replyToken)
        }
        return Conversation(platform: platform, channel: channelID, replyToken: replyToken.replyToken)
    }

    /// The words options make: sub-commands by name, in order, and every other option as
    /// `name=value` (read by the parser as a named argument when the command declares the name).
    static func words(_ options: [DiscordInteraction.Option]) -> [String] {
        options.flatMap { option -> [String] in
            if subCommandTypes.contains(option.type) { return [option.name] + words(option.options ?? []) }
            guard let value = option.value.flatMap(text(of:)) else { return [] }
            return ["\(option.name)=\(quoted(value))"]
        }
    }

    /// An option's value as typed text: numbers without a needless `.0`, booleans as `true`/`false`.
    static func text(of value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number) where number.rounded() == number && abs(number) < 9.0e15: return String(Int64(number))
        case .number(let number): return String(number)
        case .array, .object, .null: return nil
        }
    }

    /// The value as one word for the tokenizer: quoted with `"` when it is empty or holds a space or
    /// a quote, with `\` before the characters that would end or escape the quotes.
    static func quoted(_ value: String) -> String {
        let quotes: Set<Character> = ["\"", "'", "\\", "\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}"]
        let closing: Set<Character> = ["\"", "\\", "\u{201C}", "\u{201D}"]
        guard value.isEmpty || value.contains(where: { $0.isWhitespace || quotes.contains($0) }) else { return value }
        let escaped = value.map { character -> String in closing.contains(character) ? "\\\(character)" : String(character) }
        return "\"" + escaped.joined() + "\""
    }
}
