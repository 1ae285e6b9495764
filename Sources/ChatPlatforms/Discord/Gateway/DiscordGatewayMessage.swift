import ChatOpsCore
import Foundation

/// A MESSAGE_CREATE dispatch (discord.com/developers/docs/topics/gateway-events#message-create, a message
/// object of resources/message with `guild_id` and `member` added in a server), and what it asks of the bot.
/// Three kinds of message reach it:
/// - one that starts with a mention of the bot (`<@id>` or `<@!id>`), which is taken off;
/// - in a thread, one whose first word answers a pending request (`approve`, `reject`, `run`, `cancel`),
///   as Slack's thread replies count;
/// - any message in a direct conversation with the bot (no `guild_id`).
///
/// Messages from bots (the bot itself included), webhooks and the system are ignored.
struct DiscordGatewayMessage: Decodable, Sendable {
    struct User: Decodable, Sendable {
        var id: String
        var username: String?
        var globalName: String?
        var bot: Bool?

        enum CodingKeys: String, CodingKey {
            case id, username, bot
            case globalName = "global_name"
        }
    }

    /// The author in the server: their roles and nickname there.
    struct Member: Decodable, Sendable {
        var roles: [String]?
        var nick: String?
    }

    /// What the message asks: its text for the parser, and why it is for the bot.
    struct Request: Sendable, Equatable {
        enum Reason: Sendable { case mention, answer, directMessage }
        var text: String
        var reason: Reason
    }

    var id: String
    var channelID: String
    var guildID: String?
    var author: User
    var member: Member?
    var content: String
    var mentions: [User]?
    /// 0 for a message, 19 for a reply; other types are the system's.
    var type: Int?
    var webhookID: String?

    enum CodingKeys: String, CodingKey {
        case id, author, member, content, mentions, type
        case channelID = "channel_id", guildID = "guild_id", webhookID = "webhook_id"
    }

    /// Messages people write: default (0) and replies (19).
    static let personalTypes: Set<Int> = [0, 19]

    var isDirect: Bool { guildID == nil }

    /// What the message asks of the bot whose user id is `bot`; nil when it is not for the bot.
    func request(toBot bot: String) -> Request? {
        guard author.bot != true, author.id != bot, webhookID == nil, Self.personalTypes.contains(type ?? 0) else { return nil }
        if mentions?.contains(where: { $0.id == bot }) == true, let text = Self.withoutMention(of: bot, content) {
            return Request(text: text, reason: .mention)
        }
        if isDirect { return Request(text: Self.withoutMention(of: bot, content) ?? content, reason: .directMessage) }
        guard !content.hasPrefix("<@"), let word = content.split(whereSeparator: \.isWhitespace).first,
            CommandParser.answersPendingRequest(String(word))
        else { return nil }
        return Request(text: content, reason: .answer)
    }

    /// The inbound the request makes.
    /// - Parameter parent: the channel the message's thread is in; nil when its channel is not a thread.
    /// - Returns: nil for an answer outside a thread (chatter there is not for the bot).
    func inbound(_ request: Request, parent: String?, receivedAt: Date) -> Inbound? {
        if request.reason == .answer, parent == nil { return nil }
        let platform = DiscordInteractionDecoder.platform
        let conversation =
            parent.map { Conversation(platform: platform, channel: $0, thread: channelID) }
            ?? Conversation(platform: platform, channel: channelID)
        // A mention at the top of a server channel is answered in a thread started from it, as a click on a
        // message outside a thread is: a thread started from a message has the message's id, and the platform
        // starts it when it first posts there. A direct conversation has no threads.
        let replyThread = parent == nil && !isDirect ? id : nil
        let sender = Principal(
            platform: platform, userID: author.id, displayName: member?.nick ?? author.globalName ?? author.username, groups: member?.roles ?? [])
        return Inbound(
            kind: .message(text: request.text), sender: sender, conversation: conversation, replyThread: replyThread,
            dedupeKey: "discord:message:\(id)", receivedAt: receivedAt)
    }

    /// The text after a leading mention of the bot (`<@id> deploy …` → `deploy …`); nil when it does not start with one.
    static func withoutMention(of bot: String, _ text: String) -> String? {
        let trimmed = text.drop { $0.isWhitespace }
        guard let mention = ["<@\(bot)>", "<@!\(bot)>"].first(where: { trimmed.hasPrefix($0) }) else { return nil }
        return String(trimmed.dropFirst(mention.count).drop { $0.isWhitespace || $0 == ":" || $0 == "," })
    }
}
