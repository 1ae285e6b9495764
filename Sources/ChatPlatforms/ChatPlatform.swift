import ChatOpsCore
import Foundation

/// A chat platform the bot posts to. Inbound verification and decoding live in each platform's
/// HTTP routes; this is the outbound half every platform shares.
public protocol ChatPlatform: Sendable {
    /// The name inbound messages carry in `Conversation.platform`.
    var name: String { get }
    /// Posts a reply.
    /// - Parameters:
    ///   - reply: what to say; the platform renders it and neutralises broadcast mentions.
    ///   - conversation: the channel and thread.
    ///   - idempotencyKey: the same key never posts twice, even when a job is retried after a crash.
    /// - Returns: a reference for later updates.
    func post(_ reply: Reply, in conversation: Conversation, idempotencyKey: String) async throws -> MessageRef
    /// Replaces a posted message (progress, approval status). Platforms that cannot edit post anew.
    func update(_ message: MessageRef, with reply: Reply) async throws
    /// Whether posted messages can be edited in place, so a summary can appear as it is written.
    var supportsEditing: Bool { get }
    /// Whether conversations have threads; without them a channel is one room, and votes count from it.
    var hasThreads: Bool { get }
}

extension ChatPlatform {
    public var supportsEditing: Bool { true }
    public var hasThreads: Bool { true }
}

/// A message the bot posted.
public struct MessageRef: Codable, Sendable, Hashable {
    public var conversation: Conversation
    public var id: String

    public init(conversation: Conversation, id: String) {
        self.conversation = conversation
        self.id = id
    }
}
