import Foundation
import Synchronization

/// Tells every listener which messages changed. A listener that is busy collects the ids until it
/// next looks, and is woken once for all of them.
public final class ChangeSignal: Sendable {
    /// One reader of the changes, such as an open event stream.
    public final class Listener: Sendable {
        /// Yields after a change (or a `wake()`); ends with `finish()`.
        public let wakes: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation
        private let pending = Mutex<Set<Int64>>([])

        init() {
            (wakes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        }

        /// Wakes the listener without a change: time to look at the store.
        public func wake() { continuation.yield() }

        /// Ends `wakes`; the signal forgets the listener.
        public func finish() { continuation.finish() }

        /// The ids changed since the last call.
        public func takeChanged() -> Set<Int64> {
            pending.withLock { ids in
                defer { ids = [] }
                return ids
            }
        }

        func changed(_ id: Int64) {
            pending.withLock { _ = $0.insert(id) }
            continuation.yield()
        }

        func onEnd(_ action: @escaping @Sendable () -> Void) {
            continuation.onTermination = { _ in action() }
        }
    }

    private let listeners = Mutex<[ObjectIdentifier: Listener]>([:])

    public init() {}

    public func fire(_ id: Int64) {
        for listener in listeners.withLock({ Array($0.values) }) { listener.changed(id) }
    }

    /// A new listener, forgotten when its stream ends; nil when `limit` listen already.
    public func listen(limit: Int = .max) -> Listener? {
        let listener = Listener()
        let key = ObjectIdentifier(listener)
        let admitted = listeners.withLock { all in
            guard all.count < limit else { return false }
            all[key] = listener
            return true
        }
        guard admitted else { return nil }
        listener.onEnd { [weak self] in _ = self?.listeners.withLock { $0.removeValue(forKey: key) } }
        return listener
    }

    /// How many listen now.
    public var listenerCount: Int { listeners.withLock { $0.count } }
}
