import ChatOpsCore
import Foundation
import Logging

extension DiscordPlatform {
    /// Fills a deferred response whose visibility differs from the reply's.
    static let publicNote = "🔒 The answer went only to the person who asked."
    static let privateNote = "The answer was posted for everyone to see."
    static let threadArchiveMinutes = 1_440
    static let maxThreadName = 90

    /// The delivery-log key under which a command's later replies find where they go.
    static func settledKey(_ token: String) -> String { "discord:thread:\(sha256Hex(token))" }

    /// The first reply to a command. It fills the command's deferred response, which Discord shows
    /// as the command was deferred (to everyone, or only to the asker) whatever the reply asks. When
    /// the reply's visibility differs, a short note fills the deferred response, and the reply goes
    /// its own way: privately as a follow-up, or publicly in the channel with the bot token. Then
    /// `settle` records where the command's later replies go.
    ///
    /// A command that waited longer than its token lives (15 minutes) is answered with the bot token.
    func firstReply(_ reply: Reply, to token: DiscordReplyToken, in conversation: Conversation, key: String) async throws -> MessageRef {
        if let delivered = try await deliveries.delivery(key: key) {
            // The process stopped between recording the reply and recording where later replies go.
            let target = try await settle(token, firstMessage: delivered, named: reply, in: conversation)
            return MessageRef(conversation: conversation, id: delivered, replyThread: target == conversation.channel ? nil : target)
        }
        let message = DiscordMessage.render(reply)
        let deferredPrivately = token == .privateCommand(token.token)
        let id: String
        do {
            if reply.ephemeral == deferredPrivately {
                id = try await fillDeferredResponse(token, with: message)
            } else {
                try await client.send(.PATCH, originalPath(token.token), json: Self.note(reply.ephemeral ? Self.publicNote : Self.privateNote))
                if reply.ephemeral {
                    id = try await followUp(token.token, message)
                } else {
                    id = try await createMessage(message, in: conversation.thread ?? conversation.channel, key: key)
                }
            }
        } catch let error as DiscordAPIError where error.isExpiredToken {
            logger.warning("discord interaction token expired; replying with the bot token", metadata: ["chatops.delivery": "\(key)"])
            try await deliveries.recordDelivery(key: Self.settledKey(token.token), messageID: conversation.thread ?? conversation.channel)
            return try await post(reply, in: conversation, idempotencyKey: key)
        }
        try await deliveries.recordDelivery(key: key, messageID: id)
        let target = try await settle(token, firstMessage: id, named: reply, in: conversation)
        return MessageRef(conversation: conversation, id: id, replyThread: target == conversation.channel ? nil : target)
    }

    /// Records, once, where a command's later replies go: the thread started from its first message
    /// when that message is public and in a channel, else where the command was typed.
    /// - Returns: where the command's later replies go (a thread, or the channel).
    @discardableResult
    func settle(_ token: DiscordReplyToken, firstMessage: String, named reply: Reply, in conversation: Conversation) async throws -> String {
        let key = Self.settledKey(token.token)
        if let settled = try await deliveries.delivery(key: key) { return settled }
        var target = conversation.thread ?? conversation.channel
        if conversation.thread == nil, !firstMessage.isEmpty, firstMessage != Self.ephemeralID,
            let thread = try await startThread(from: firstMessage, in: conversation.channel, named: reply)
        {
            target = thread
        }
        try await deliveries.recordDelivery(key: key, messageID: target)
        return target
    }

    /// Starts a thread from a message, named after the reply, archived after a day without messages.
    /// - Returns: the thread's id, which is the message's (a thread started from a message has that
    ///   message's id), also when one was started before; nil when Discord refuses (a direct message,
    ///   a missing permission): the replies then stay in the channel.
    /// - Throws: transport errors, once retries are spent.
    func startThread(from message: String, in channel: String, named reply: Reply) async throws -> String? {
        let body: JSONValue = ["name": .string(Self.threadName(reply)), "auto_archive_duration": .number(Double(Self.threadArchiveMinutes))]
        do {
            let thread = try await client.send(.POST, "/channels/\(channel)/messages/\(message)/threads", json: body)
            return thread?["id"]?.string ?? message
        } catch let error as DiscordAPIError where error.code == DiscordAPIError.threadAlreadyCreated {
            return message
        } catch let error as DiscordAPIError {
            let metadata: Logger.Metadata = ["discord.code": "\(error.code)", "reason": "\(error.explanation)"]
            logger.warning("discord thread not started; replies stay in the channel", metadata: metadata)
            return nil
        }
    }

    /// The first line of the reply's title, or of its text, without code marks: 1 to 90 characters.
    static func threadName(_ reply: Reply) -> String {
        let reply = reply.mentionSafe
        let line = (reply.title ?? reply.text).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let name = line.replacingOccurrences(of: "`", with: "").trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? "chatops" : String(name.prefix(maxThreadName))
    }

    /// A message of a single line of text, which notifies nobody and drops the loading state's components.
    static func note(_ text: String) -> JSONValue {
        ["content": .string(text), "allowed_mentions": DiscordMessage.noMentions, "components": .array([])]
    }
}
