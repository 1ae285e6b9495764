import Foundation

/// One thing that arrived for the bot, in platform-neutral form: a message, a button click, or a
/// scheduled firing. It is persisted as a job before it is acknowledged.
public struct Inbound: Codable, Sendable, Equatable {
    public enum Kind: Codable, Sendable, Equatable {
        /// Typed text (slash command, mention, direct message, thread reply).
        case message(text: String)
        /// A click on a button the bot rendered.
        case button(ButtonAction)
        /// A schedule entry fired; the text is the command to run. `skipped` counts earlier firings
        /// that fell due while the bot was down and were collapsed into this one.
        case scheduled(entry: String, text: String, skipped: Int? = nil)
    }

    public var id: String
    public var kind: Kind
    public var sender: Principal
    public var conversation: Conversation
    /// The thread replies start when the inbound is not in one, as the platform names threads (a
    /// Slack message's `ts`, a web chat message's id); nil where the platform makes the thread itself
    /// when it posts (Discord starts one from its first reply).
    public var replyThread: String?
    /// Unique per delivery from the platform: a retried delivery has the same key and is dropped.
    public var dedupeKey: String
    public var receivedAt: Date

    public init(
        id: String = RandomID.make(), kind: Kind, sender: Principal, conversation: Conversation,
        replyThread: String? = nil, dedupeKey: String, receivedAt: Date = Date()
    ) {
        self.id = id
        self.kind = kind
        self.sender = sender
        self.conversation = conversation
        self.replyThread = replyThread
        self.dedupeKey = dedupeKey
        self.receivedAt = receivedAt
    }

    /// Where replies go: the thread the message was in, or the thread it starts.
    public var replyConversation: Conversation {
        conversation.inThread(replyThread)
    }

    enum CodingKeys: String, CodingKey {
        // Stored jobs name the reply thread `messageID`, as they did when it was always a message's id.
        case id, kind, sender, conversation, dedupeKey, receivedAt, replyThread = "messageID"
    }

    /// Whether this is a click on one of the bot's buttons.
    public var isButton: Bool {
        if case .button = kind { return true }
        return false
    }

    /// The command text, for messages and scheduled firings.
    public var text: String? {
        switch kind {
        case .message(let text), .scheduled(_, let text, _): return text
        case .button: return nil
        }
    }
}
