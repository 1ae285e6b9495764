import Foundation

/// Runs `body` in a task of its own and answers with whichever comes first: its result, or the error
/// handed to `giveUp`. `arm` is called once, at the start, with `giveUp`, and returns what stops
/// watching (called when `body` answers first). When `giveUp` wins, `body` is cancelled and left to
/// end on its own: the caller does not wait for a call that may never heed cancellation.
///
/// - Parameters:
///   - body: the call to run.
///   - arm: starts watching for the reason to give up (a timer, a connection closing); may call
///     `giveUp` at once. Returns the closure that stops watching.
public func withAbandoningRace<T: Sendable>(
    _ body: @escaping @Sendable () async throws -> T,
    giveUpWhen arm: (_ giveUp: @escaping @Sendable (any Error) -> Void) -> @Sendable () -> Void
) async throws -> T {
    let race = FirstAnswer<T>()
    return try await withCheckedThrowingContinuation { answer in
        race.answer = answer
        let work = Task {
            do { race.resume(with: .success(try await body())) } catch { race.resume(with: .failure(error)) }
        }
        race.disarm = arm { reason in
            // The answer is claimed first, so that a body that ends at once on cancellation cannot answer
            // with its CancellationError in place of the reason; the body is cancelled before the caller
            // goes on (a request body's stream must be finished before the server reads past it).
            guard let claimed = race.claim() else { return }
            work.cancel()
            claimed.disarm?()
            claimed.answer?.resume(throwing: reason)
        }
    }
}

/// The first of the body and the reason to give up resumes the caller; the other finds it done.
private final class FirstAnswer<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var resumed = false
    private var storedDisarm: (@Sendable () -> Void)?
    var answer: CheckedContinuation<T, any Error>?

    /// Stops watching for a reason to give up; called at once when set after the race was answered.
    var disarm: (@Sendable () -> Void)? {
        get { lock.withLock { storedDisarm } }
        set {
            let disarmNow = lock.withLock { () -> Bool in
                storedDisarm = newValue
                return resumed
            }
            if disarmNow { newValue?() }
        }
    }

    func resume(with result: Result<T, any Error>) {
        guard let claimed = claim() else { return }
        claimed.disarm?()
        claimed.answer?.resume(with: result)
    }

    /// Takes the right to answer, once: nil when it was taken already.
    func claim() -> (answer: CheckedContinuation<T, any Error>?, disarm: (@Sendable () -> Void)?)? {
        lock.withLock {
            guard !resumed else { return nil }
            resumed = true
            return (answer, storedDisarm)
        }
    }
}
