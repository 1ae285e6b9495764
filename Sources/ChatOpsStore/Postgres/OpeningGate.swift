import Synchronization

/// A gate that opens once: whoever waits before it opens goes on when it does; whoever comes later
/// goes on at once. The store's queries wait on it so that none asks the pool for a connection before
/// the pool runs.
final class OpeningGate: Sendable {
    private struct State: ~Copyable {
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    /// Lets every waiting and later caller of ``wait()`` go on.
    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns once the gate is open.
    func wait() async {
        if state.withLock({ $0.isOpen }) { return }
        await withCheckedContinuation { waiter in
            let goNow = state.withLock { state in
                if state.isOpen { return true }
                state.waiting.append(waiter)
                return false
            }
            if goNow { waiter.resume() }
        }
    }
}
