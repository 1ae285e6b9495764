/// Spaces calls that share a key (a channel, a rate-limit bucket) by a minimum interval: each call
/// waits for its slot, so a burst leaves at the pace the platform allows instead of failing.
public actor ChannelPacer {
    let interval: Duration
    private var next: [String: ContinuousClock.Instant] = [:]

    public init(interval: Duration) {
        self.interval = interval
    }

    /// Waits until the key's next slot, and books the one after it.
    public func wait(for key: String) async {
        let clock = ContinuousClock()
        let now = clock.now
        let slot = max(now, next[key] ?? now)
        next[key] = slot + interval
        if slot > now { try? await clock.sleep(until: slot) }
    }
}
