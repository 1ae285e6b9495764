import Foundation

/// A Discord REST call that was refused: the HTTP status, Discord's JSON error code and message
/// (discord.com/developers/docs/topics/opcodes-and-status-codes#json), and what it means for the
/// person running the bot.
public struct DiscordAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The route, as `DiscordRateLimits.route` writes it (tokens only as digests).
    public var route: String
    public var status: Int
    /// Discord's JSON error code; 0 when the answer had none.
    public var code: Int
    public var message: String

    public init(route: String, status: Int, code: Int, message: String) {
        self.route = route
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String {
        let said = message.isEmpty ? "" : " \"\(message)\""
        return "\(route): HTTP \(status), Discord code \(code)\(said) (\(explanation))"
    }

    /// Codes the bot reacts to.
    static let unknownChannel = 10003
    static let unknownWebhook = 10015
    static let invalidWebhookToken = 50027
    static let threadAlreadyCreated = 160004

    /// The interaction token expired (after 15 minutes) or was never valid.
    public var isExpiredToken: Bool { code == Self.unknownWebhook || code == Self.invalidWebhookToken }

    /// What the error means, in plain words.
    public var explanation: String {
        switch (status, code) {
        case (_, Self.unknownWebhook), (_, Self.invalidWebhookToken): return "the interaction token expired (15 minutes) or is wrong"
        case (401, _): return "the bot token is missing, wrong or was reset: copy it again from the Developer Portal"
        case (429, _): return "rate limited by Discord"
        case (_, 50001): return "Missing Access: the bot cannot see the channel; add it to the server or give it View Channel there"
        case (_, 50013):
            return "Missing Permissions: the bot needs Send Messages, Send Messages in Threads, Create Public Threads and Read Message History there"
        case (_, Self.unknownChannel): return "Unknown Channel: the channel or thread is gone, or the bot cannot see it"
        case (_, 10008): return "Unknown Message: the message to edit is gone"
        case (_, 40060): return "the interaction was already acknowledged"
        case (_, Self.threadAlreadyCreated): return "a thread was already started from this message"
        case (_, 50035): return "Discord refused the message's form: a field is too long or malformed"
        default: return "see discord.com/developers/docs/topics/opcodes-and-status-codes"
        }
    }
}
