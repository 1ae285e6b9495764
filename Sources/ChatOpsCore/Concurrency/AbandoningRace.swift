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
            work.cancel()
            race.resume(with: .failure(reason))
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
        let (continuation, disarm) = lock.withLock { () -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !resumed else { return (nil, nil) }
            resumed = true
            return (answer, storedDisarm)
        }
        disarm?()
        continuation?.resume(with: result)
    }
}
