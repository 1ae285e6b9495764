import Foundation

/// The durable job queue: every accepted inbound is stored here before it is acknowledged.
public protocol JobQueue: Sendable {
    /// Stores a job unless one with the same dedupe key exists.
    func enqueue(_ job: NewJob) async throws -> EnqueueResult
    /// Stores several jobs in one transaction (one commit), each unless its dedupe key exists; the
    /// results are in the order of `jobs`. A later job with the key of an earlier one in the batch is
    /// a duplicate of it.
    func enqueue(batch jobs: [NewJob]) async throws -> [EnqueueResult]
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
    /// Every job's state by its dedupe key, for operators and tests.
    func jobStates() async throws -> [String: Job.State]
}

extension JobQueue {
    /// Stores an inbound as a job keyed by its dedupe key, runnable at once.
    public func enqueue(_ inbound: Inbound) async throws -> EnqueueResult {
        try await enqueue(NewJob(runnable: inbound))
    }
}

extension NewJob {
    /// An inbound as a job keyed by its dedupe key, runnable at once.
    public init(runnable inbound: Inbound) {
        self.init(dedupeKey: inbound.dedupeKey, payload: .inbound(inbound), availableAt: Date())
    }
}
