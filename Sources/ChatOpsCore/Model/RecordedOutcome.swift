import Foundation

/// An execution's outcome as it was recorded when the backend returned: what a retried job posts
/// instead of running the action again.
public struct RecordedOutcome: Codable, Sendable, Equatable {
    /// The execution it belongs to (the job, or the approval, that ran the action).
    public var executionID: String
    /// What the backend reported, already redacted.
    public var outcome: Outcome
    /// How long the action took.
    public var durationMilliseconds: Int
    public var finishedAt: Date

    public init(executionID: String, outcome: Outcome, durationMilliseconds: Int, finishedAt: Date) {
        self.executionID = executionID
        self.outcome = outcome
        self.durationMilliseconds = durationMilliseconds
        self.finishedAt = finishedAt
    }
}
