import Synchronization

/// Lets progress through at most once an `interval`, and always at the end.
final class ProgressPacing: Sendable {
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(interval: Duration) {
        self.interval = interval
    }

    func due(final: Bool) -> Bool {
        last.withLock { last in
            let now = ContinuousClock.now
            guard final || last.map({ now - $0 >= interval }) ?? true else { return false }
            last = now
            return true
        }
    }
}
