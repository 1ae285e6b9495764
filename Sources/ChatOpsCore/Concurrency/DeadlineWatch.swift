import Synchronization

/// The timer behind `withAbandoningDeadline`: one task that wakes every `resolution` while any
/// deadline is watched and gives up on those that passed, instead of a timer for each call. Every
/// webhook's body and every group commit is watched, tens of thousands a second: a timer each was
/// a tenth of the acknowledgement path's CPU (scheduling it woke an event loop, and on Linux a
/// cancelled `Task.sleep` stays in the dispatch timer heap until it would have fired). A deadline
/// is given up on about `resolution` after it passed, plus however long the process's tasks wait
/// for a thread: the tick expires only what was due when it was meant to wake, and gives up from a
/// task queued behind those already waiting, so a body that answered in time on a busy machine
/// still wins the race.
final class DeadlineWatch: Sendable {
    /// The watch every deadline shares.
    static let shared = DeadlineWatch(resolution: .milliseconds(10))

    private struct Entry {
        let due: ContinuousClock.Instant
        let giveUp: @Sendable () -> Void
    }

    private struct State {
        var nextID = 0
        var entries: [Int: Entry] = [:]
        /// No entry is due before this (it may be earlier than the earliest, never later).
        var earliest = ContinuousClock.Instant.now
        var ticking = false
    }

    private let state = Mutex(State())
    private let resolution: Duration

    init(resolution: Duration) {
        self.resolution = resolution
    }

    /// Calls `giveUp` once `due` has passed, unless the returned closure is called first.
    func watch(until due: ContinuousClock.Instant, giveUp: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let (id, startTicking) = state.withLock { state in
            state.nextID += 1
            state.earliest = state.entries.isEmpty ? due : min(state.earliest, due)
            state.entries[state.nextID] = Entry(due: due, giveUp: giveUp)
            defer { state.ticking = true }
            return (state.nextID, !state.ticking)
        }
        if startTicking { Task.detached { await self.tick() } }
        return { [self] in _ = state.withLock { $0.entries.removeValue(forKey: id) } }
    }

    /// Whether the ticking task runs (it ends when nothing is watched).
    var isTicking: Bool { state.withLock { $0.ticking } }

    /// Wakes every `resolution` until nothing is watched.
    private func tick() async {
        while true {
            let wake = ContinuousClock.now + resolution
            try? await Task.sleep(until: wake)
            let (expired, stop) = state.withLock { state -> ([Entry], Bool) in
                var expired: [Entry] = []
                if state.earliest <= wake {
                    let dueIDs = state.entries.filter { $0.value.due <= wake }.keys
                    expired = dueIDs.compactMap { state.entries.removeValue(forKey: $0) }
                    state.earliest = state.entries.values.map(\.due).min() ?? wake
                }
                if state.entries.isEmpty { state.ticking = false }
                return (expired, state.entries.isEmpty)
            }
            if !expired.isEmpty { Task.detached { for entry in expired { entry.giveUp() } } }
            if stop { return }
        }
    }
}
