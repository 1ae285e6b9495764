/// A request that waits for people, shown by one message the bot keeps up to date: an approval
/// request waiting for votes, a proposed command waiting for Run or Cancel.
public protocol PendingRequest: Sendable {
    var id: String { get }
    /// Where the request is discussed: its votes and answers count there.
    var conversation: Conversation { get set }
    /// The message that shows the request.
    var message: MessageRef? { get set }
}

extension PendingRequest {
    /// Notes the message that shows the request. Where the message starts a thread (the command had
    /// none, as a slash command), the request is discussed in that thread from now on.
    public mutating func shown(in message: MessageRef) {
        self.message = message
        conversation = conversation.inThread(message.replyThread)
    }
}

extension ApprovalRequest: PendingRequest {}
extension Proposal: PendingRequest {}
