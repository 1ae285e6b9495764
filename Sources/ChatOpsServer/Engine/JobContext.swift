import ChatOpsCore

/// The job the engine is handling: what arrived, the job's id, and where its replies go. Every step
/// of a job is keyed by the job (`key`), so a job run again after a crash finds what it already did.
struct JobContext: Sendable {
    /// What arrived, with the sender's platform groups as the platform states them now.
    let inbound: Inbound
    let id: String

    var sender: Principal { inbound.sender }
    /// Where the inbound itself is.
    var conversation: Conversation { inbound.conversation }
    /// Where replies go: the inbound's thread, or the one it starts.
    var replyConversation: Conversation { inbound.replyConversation }

    /// The idempotency key of one step of the job (`<job id>:vote`).
    func key(_ step: String) -> String { "\(id):\(step)" }
}
