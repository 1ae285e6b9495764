import ChatOpsCore
import Foundation

/// The durable job queue: every accepted inbound is stored here before it is acknowledged.
public protocol JobQueue: Sendable {
    /// Stores a job unless one with the same dedupe key exists.
    func enqueue(_ job: NewJob) async throws -> EnqueueResult
    /// Claims the oldest runnable job (queued, or running with an expired lease) for `worker`.
    func claim(worker: String, lease: TimeInterval, now: Date) async throws -> Job?
    /// Extends the lease of a job the worker holds. Returns false when the worker lost it.
    func renewLease(jobID: String, worker: String, until: Date) async throws -> Bool
    /// Marks a claimed job finished (done or failed).
    func finish(jobID: String, worker: String, state: Job.State, note: String?) async throws
    /// Returns a claimed job to the queue, to run again no earlier than `at`.
    func retry(jobID: String, worker: String, at: Date, note: String) async throws
    /// Returns a claimed job to the queue until `until` without counting this claim as an attempt
    /// (it waited for its backend; it did not fail).
    func postpone(jobID: String, worker: String, until: Date, note: String) async throws
    /// Returns every job the worker holds to the queue (graceful shutdown).
    func releaseLeases(worker: String) async throws -> Int
    /// The workers holding leases on running jobs.
    func leaseOwners() async throws -> Set<String>
    /// Jobs waiting or running.
    func queueDepth() async throws -> Int
}

/// Approvals, kept across restarts.
public protocol ApprovalStore: Sendable {
    /// Stores a new request, or returns the one the same job already created.
    func createApproval(_ request: ApprovalRequest) async throws -> ApprovalRequest
    func approval(id: String) async throws -> ApprovalRequest?
    /// The newest pending request in a thread, for votes typed there without an id.
    func pendingApproval(in conversation: Conversation) async throws -> ApprovalRequest?
    /// Reads, changes and writes one request atomically, and in the same transaction enqueues the
    /// job `followUp` returns for the change (the run of a request that reached its quorum), so a
    /// failure after the write can never leave an approved request that nothing runs.
    func updateApproval<T: Sendable>(
        id: String, _ change: @Sendable @escaping (inout ApprovalRequest) -> T,
        followUp: @Sendable @escaping (ApprovalRequest, T) -> NewJob?
    ) async throws -> (ApprovalRequest, T)?
    /// Pending requests whose expiry has passed.
    func expiredApprovals(now: Date) async throws -> [ApprovalRequest]
}

/// Commands proposed from plain words, waiting for the requester's Run or Cancel.
public protocol ProposalStore: Sendable {
    /// Stores a new proposal, or returns the one the same job already created.
    func createProposal(_ proposal: Proposal) async throws -> Proposal
    func proposal(id: String) async throws -> Proposal?
    /// Reads, changes and writes one proposal atomically.
    func updateProposal<T: Sendable>(id: String, _ change: @Sendable @escaping (inout Proposal) -> T) async throws -> (Proposal, T)?
}

/// Locks on the targets of mutating commands.
public protocol LockStore: Sendable {
    /// Takes the lock, or reports who holds it. Re-acquiring with the same owner succeeds.
    func acquireLock(_ holder: LockHolder) async throws -> LockHolder
    /// Releases the lock if `ownerID` holds it (any owner when nil). Returns the released holder.
    func releaseLock(target: String, ownerID: String?) async throws -> LockHolder?
    /// Releases every lock `ownerID` holds (a job that failed for good). Returns what was released.
    func releaseLocks(ownerID: String) async throws -> [LockHolder]
    func lock(target: String) async throws -> LockHolder?
}

/// The hash-chained, append-only audit log.
public protocol AuditLog: Sendable {
    func appendAudit(_ record: AuditRecord, at: Date) async throws -> AuditEvent
    func auditEvents() async throws -> [AuditEvent]
}

/// What the scheduler remembers between runs.
public protocol ScheduleStateStore: Sendable {
    func lastFiring(entry: String) async throws -> Date?
    /// Records a firing and enqueues its job in one transaction, so a restart neither skips nor repeats it.
    func recordFiring(entry: String, at: Date, job: NewJob?) async throws
    func lastPostDigest(entry: String) async throws -> String?
    func setLastPostDigest(entry: String, digest: String) async throws
}

/// The local chat transcript (web chat and console).
public protocol TranscriptLog: Sendable {
    /// Appends a message; a second append with the same idempotency key returns the first.
    func appendMessage(
        channel: String, thread: String?, author: String, reply: Reply, idempotencyKey: String, at: Date
    ) async throws -> TranscriptMessage
    func updateMessage(id: Int64, reply: Reply, at: Date) async throws
    /// Messages after `afterID`, oldest first, at most `limit`: a page; the next starts after the last id.
    func messages(channel: String?, afterID: Int64, limit: Int) async throws -> [TranscriptMessage]
}

extension TranscriptLog {
    /// Every message after `afterID`, oldest first.
    public func messages(channel: String?, afterID: Int64) async throws -> [TranscriptMessage] {
        try await messages(channel: channel, afterID: afterID, limit: Int.max)
    }
}

/// Opaque state applied exactly once per execution id (used by the sandbox backend).
public protocol ExactlyOnceState: Sendable {
    /// Runs `change` on the state of `namespace` unless `executionID` already ran, and returns
    /// the result recorded for that execution.
    func applyOnce(
        namespace: String, executionID: String, _ change: @Sendable @escaping (inout Data?) throws -> Data
    ) async throws -> Data
    func state(namespace: String) async throws -> Data?
}

/// Which outbound messages were already posted, by idempotency key, for platforms that cannot
/// deduplicate posts themselves.
public protocol DeliveryRecords: Sendable {
    func delivery(key: String) async throws -> String?
    func recordDelivery(key: String, messageID: String) async throws
}

/// What each execution's backend reported, kept before anything is posted: a job retried after a
/// failed post, audit write or crash finds the outcome and only posts again, never runs again.
public protocol OutcomeLog: Sendable {
    /// The outcome recorded for the execution, if its action already ran.
    func recordedOutcome(executionID: String) async throws -> RecordedOutcome?
    /// Records the outcome once; a second record for the same execution keeps the first.
    func recordOutcome(_ outcome: RecordedOutcome) async throws
}

/// Everything the bot keeps.
public typealias Store = JobQueue & ApprovalStore & ProposalStore & LockStore & AuditLog & ScheduleStateStore & TranscriptLog & ExactlyOnceState
    & DeliveryRecords & OutcomeLog

extension ApprovalStore {
    /// Reads, changes and writes one request atomically.
    public func updateApproval<T: Sendable>(
        id: String, _ change: @Sendable @escaping (inout ApprovalRequest) -> T
    ) async throws -> (ApprovalRequest, T)? {
        try await updateApproval(id: id, change, followUp: { _, _ in nil })
    }
}

extension JobQueue {
    /// Stores an inbound as a job keyed by its dedupe key, runnable at once.
    public func enqueue(_ inbound: Inbound) async throws -> EnqueueResult {
        try await enqueue(NewJob(dedupeKey: inbound.dedupeKey, payload: .inbound(inbound), availableAt: Date()))
    }
}
