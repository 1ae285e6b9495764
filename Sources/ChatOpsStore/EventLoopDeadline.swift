import ChatOpsCore
import NIOCore
import PostgresNIO

/// `withAbandoningDeadline` for the hot paths (every webhook's body and every group commit): the
/// timer is an event loop's scheduled task, which leaves the loop's heap when cancelled. `Task.sleep`
/// on Linux leaves a cancelled timer in the dispatch timer heap until it would have fired, so tens
/// of thousands of requests a second kept that many timers waiting (a profile of the ack path showed
/// the heap's upkeep).
public func withEventLoopDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withAbandoningRace(body) { giveUp in
        let timer = PostgresClient.defaultEventLoopGroup.any().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
            // Given up from a task, queued behind the body's own: a process whose tasks wait for a
            // thread gives the body its turn first, as `Task.sleep`'s timer did.
            Task { giveUp(DeadlineExceeded(timeout: timeout)) }
        }
        return { timer.cancel() }
    }
}
