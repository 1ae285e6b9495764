import Foundation

/// What `Conversation.replyToken` holds on Discord: the interaction token (the platform knows its
/// application id, so the token alone reaches the follow-up routes), and how the interaction was
/// acknowledged, which decides what its first reply may do:
/// - a command deferred in the channel (`<token>`): its first reply fills the loading message, which
///   everyone sees, and Discord ignores the private flag there;
/// - a command deferred privately (`private:<token>`): its loading message only the asker sees;
/// - a click (`click:<token>`): there is no loading message, and the interaction's original message is
///   the clicked one, which a reply must never replace.
enum DiscordReplyToken: Sendable, Equatable {
    case command(String)
    case privateCommand(String)
    case click(String)

    static let privatePrefix = "private:"
    static let clickPrefix = "click:"

    /// Reads a conversation's reply token; nil when there is none.
    init?(_ replyToken: String?) {
        guard let replyToken, !replyToken.isEmpty else { return nil }
        if replyToken.hasPrefix(Self.clickPrefix) {
            self = .click(String(replyToken.dropFirst(Self.clickPrefix.count)))
        } else if replyToken.hasPrefix(Self.privatePrefix) {
            self = .privateCommand(String(replyToken.dropFirst(Self.privatePrefix.count)))
        } else {
            self = .command(replyToken)
        }
    }

    /// The form `Conversation.replyToken` carries.
    var replyToken: String {
        switch self {
        case .command(let token): return token
        case .privateCommand(let token): return Self.privatePrefix + token
        case .click(let token): return Self.clickPrefix + token
        }
    }

    /// The interaction token itself.
    var token: String {
        switch self {
        case .command(let token), .privateCommand(let token), .click(let token): return token
        }
    }

    /// Whether the interaction was a command, whose deferred response the bot fills with its first reply.
    var isCommand: Bool {
        if case .click = self { return false }
        return true
    }
}
