import Foundation

/// What each execution's backend reported, kept before anything is posted: a job retried after a
/// failed post, audit write or crash finds the outcome and only posts again, never runs again.
public protocol OutcomeLog: Sendable {
    /// The outcome recorded for the execution, if its action already ran.
    func recordedOutcome(executionID: String) async throws -> RecordedOutcome?
    /// Records the outcome once; a second record for the same execution keeps the first.
    func recordOutcome(_ outcome: RecordedOutcome) async throws
}
