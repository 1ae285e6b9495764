import ChatOpsCore
import ChatPlatforms
import Foundation

/// A chat platform that records what the bot posted and updated, keyed like a real platform.
actor RecordingPlatform: ChatPlatform {
    nonisolated let name: String
    private(set) var posts: [(key: String, conversation: Conversation, reply: Reply)] = []
    private(set) var updates: [(id: String, reply: Reply)] = []
    /// Posts whose key ends with a suffix fail this many more times (a platform error after the action ran).
    private var failures: [String: Int] = [:]
    private(set) var failedPosts = 0
    /// Whether a message at the top level starts a thread (as on Slack); where it cannot (Discord
    /// without the permission to start threads) replies stay where the message is.
    private var startsThreads = true

    func stopStartingThreads() {
        startsThreads = false
    }

    init(name: String = "test") {
        self.name = name
    }

    /// Makes the next `times` posts whose key ends with `suffix` fail, as Slack's `invalid_blocks` would.
    func failPosts(endingWith suffix: String, times: Int) {
        failures[suffix] = times
    }

    struct PostFailed: Error {}

    func post(_ reply: Reply, in conversation: Conversation, idempotencyKey: String) async throws -> MessageRef {
        if let (suffix, left) = failures.first(where: { idempotencyKey.hasSuffix($0.key) }), left > 0 {
            failures[suffix] = left - 1
            failedPosts += 1
            throw PostFailed()
        }
        if let index = posts.firstIndex(where: { $0.key == idempotencyKey }) {
            return MessageRef(
                conversation: posts[index].conversation, id: "m\(index)", replyThread: posts[index].conversation.thread ?? thread("m\(index)"))
        }
        posts.append((idempotencyKey, conversation, reply))
        return MessageRef(conversation: conversation, id: "m\(posts.count - 1)", replyThread: conversation.thread ?? thread("m\(posts.count - 1)"))
    }

    private func thread(_ started: String) -> String? {
        startsThreads ? started : nil
    }

    /// Files posted, each with how many replies had been posted before it.
    private(set) var attachments: [(key: String, conversation: Conversation, file: Attachment, afterPosts: Int)] = []

    func attach(_ file: Attachment, in conversation: Conversation, idempotencyKey: String) async throws -> Bool {
        if !attachments.contains(where: { $0.key == idempotencyKey }) { attachments.append((idempotencyKey, conversation, file, posts.count)) }
        return true
    }

    func update(_ message: MessageRef, with reply: Reply) async throws {
        updates.append((message.id, reply))
    }

    /// Replies posted so far, in order.
    var replies: [Reply] { posts.map(\.reply) }

    /// The texts of replies posted after `count` earlier ones.
    func texts(after count: Int = 0) -> [String] {
        posts.dropFirst(count).map { ($0.reply.title.map { $0 + "\n" } ?? "") + $0.reply.text }
    }
}
