import ChatOpsCore
import Synchronization

/// Stores jobs that arrive together in one transaction (group commit). The first arrival is written
/// at once; those that arrive while a write is in flight wait for it to end and then go together, up
/// to `maxBatch` in one commit. Each caller returns only once its own job is durable (or gets the
/// error its batch met), so an acknowledgement never runs ahead of the store. Under light load every
/// batch holds one job and nothing waits. A write that takes longer than `writeTimeout` (the database
/// went away) fails its batch, so the platform hears "not stored" while it still waits for an answer;
/// if that write lands after all, the platform's next delivery is a duplicate of it.
public final class GroupCommit: Sendable {
    private typealias Waiter = (job: NewJob, answer: CheckedContinuation<EnqueueResult, any Error>)

    private struct State {
        var waiting: [Waiter] = []
        var writing = false
    }

    private let queue: any JobQueue
    private let maxBatch: Int
    private let writeTimeout: Duration
    /// A lock, not an actor: a request appends itself and, when no write is in flight, starts one,
    /// without hopping to another executor (the hop was a measurable part of every acknowledgement).
    private let state = Mutex(State())

    /// - Parameters:
    ///   - queue: where the jobs are stored.
    ///   - maxBatch: the most jobs one transaction takes.
    ///   - writeTimeout: how long one batch's write may take.
    public init(queue: any JobQueue, maxBatch: Int = 128, writeTimeout: Duration = .seconds(2)) {
        self.queue = queue
        self.maxBatch = max(1, maxBatch)
        self.writeTimeout = writeTimeout
    }

    /// Stores the job with whatever else arrives meanwhile; returns when it is durable.
    public func enqueue(_ job: NewJob) async throws -> EnqueueResult {
        try await withCheckedThrowingContinuation { answer in
            let startWriting = state.withLock { state in
                state.waiting.append((job, answer))
                defer { state.writing = true }
                return !state.writing
            }
            if startWriting { Task.detached { await self.writeWhileWaiting() } }
        }
    }

    /// Writes batches until nobody waits.
    private func writeWhileWaiting() async {
        while let batch = nextBatch() {
            do {
                let (queue, jobs) = (queue, batch.map(\.job))
                let results = try await withAbandoningDeadline(writeTimeout) { try await queue.enqueue(batch: jobs) }
                guard results.count == batch.count else { throw StoreError.batchMismatch(sent: batch.count, stored: results.count) }
                for (waiter, result) in zip(batch, results) { waiter.answer.resume(returning: result) }
            } catch {
                for waiter in batch { waiter.answer.resume(throwing: error) }
            }
        }
    }

    /// The next jobs to write, or nil (and no write in flight) when nobody waits.
    private func nextBatch() -> [Waiter]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.writing = false
                return nil
            }
            let batch = Array(state.waiting.prefix(maxBatch))
            state.waiting.removeFirst(batch.count)
            return batch
        }
    }
}
