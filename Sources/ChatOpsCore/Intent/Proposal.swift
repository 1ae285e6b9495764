import Foundation

/// A command the bot understood from plain words and offered with Run / Cancel buttons.
///
/// Only the person who asked can run or cancel it, only while it is pending and not expired, and
/// only the exact invocation offered (the buttons carry its fingerprint). Running it goes through
/// permissions, locks and approvals like a typed command.
public struct Proposal: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case pending, confirmed, cancelled, expired }

    public var id: String
    /// The job that proposed it; one proposal per job.
    public var jobID: String
    public var invocation: Invocation
    public var fingerprint: String
    public var requester: Principal
    public var conversation: Conversation
    /// The words the person wrote, for the audit log.
    public var request: String
    /// The model that interpreted the request.
    public var interpretedBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var state: State
    /// The job of the click that confirmed it: a retry of that job finds its own confirmation.
    public var confirmedByJob: String?
    /// The message that shows the proposal, so it can be updated after an answer.
    public var message: MessageRef?

    public init(
        id: String, jobID: String, invocation: Invocation, requester: Principal, conversation: Conversation, request: String,
        interpretedBy: String, createdAt: Date, lifetime: TimeInterval
    ) {
        self.id = id
        self.jobID = jobID
        self.invocation = invocation
        self.fingerprint = invocation.fingerprint
        self.requester = requester
        self.conversation = conversation
        self.request = request
        self.interpretedBy = interpretedBy
        self.createdAt = createdAt
        self.expiresAt = createdAt.addingTimeInterval(lifetime)
        self.state = .pending
    }
}
