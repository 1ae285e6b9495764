import Foundation

/// Everything the bot keeps.
public typealias Store = JobQueue & ApprovalStore & ProposalStore & LockStore & AuditLog & ScheduleStateStore & TranscriptLog & ExactlyOnceState
    & DeliveryRecords & OutcomeLog & EvalRecords
