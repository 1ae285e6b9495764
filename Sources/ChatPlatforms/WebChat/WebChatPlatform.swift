import ChatOpsCore
import Foundation

/// The local web chat: people post over HTTP (`POST /chat/messages`), and the bot's replies are
/// appended to the transcript that `GET /chat/messages` returns.
public struct WebChatPlatform: ChatPlatform {
    public static let platformName = "webchat"
    public static let botAuthor = "bot"
    public let name = Self.platformName
    let transcript: any TranscriptLog

    public init(transcript: any TranscriptLog) {
        self.transcript = transcript
    }

    public func post(_ reply: Reply, in conversation: Conversation, idempotencyKey: String) async throws -> MessageRef {
        let message = try await transcript.appendMessage(
            channel: conversation.channel, thread: conversation.thread, author: Self.botAuthor, reply: reply.mentionSafe,
            idempotencyKey: idempotencyKey, at: Date())
        return MessageRef(conversation: conversation, id: String(message.id), replyThread: conversation.thread ?? String(message.id))
    }

    public func update(_ message: MessageRef, with reply: Reply) async throws {
        guard let id = Int64(message.id) else { return }
        try await transcript.updateMessage(id: id, reply: reply.mentionSafe, at: Date())
    }
}
