/// A message the bot posted: where it is, its id, and the thread replies to it go in, each as the
/// platform names them. The engine never takes a message's id for a thread's: on Slack a thread is
/// named by its first message's `ts`, on Discord a thread is a channel started from a message, and
/// Google Chat names threads `spaces/…/threads/…`.
public struct MessageRef: Codable, Sendable, Hashable {
    /// The channel the message is in, and the thread it was posted in (nil at the top level).
    public var conversation: Conversation
    public var id: String
    /// The thread replies to the message go in: the thread it is in, or the one it starts.
    public var replyThread: String?

    public init(conversation: Conversation, id: String, replyThread: String? = nil) {
        self.conversation = conversation
        self.id = id
        self.replyThread = replyThread ?? conversation.thread
    }
}
