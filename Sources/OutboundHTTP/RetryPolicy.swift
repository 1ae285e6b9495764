import Foundation

/// How an outbound client retries: how many attempts, and how long to wait between them
/// (exponential backoff with jitter, or the time the server asked for, within a bound).
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    /// The wait after the first failed attempt; each later wait doubles, up to `maxDelay`.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// The longest wait a server may ask for (`Retry-After`); longer asks are cut to this.
    public var longestWait: Duration

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8), longestWait: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.longestWait = longestWait
    }

    /// The wait after failed attempt `attempt` (1-based): the base doubled per attempt, capped, with
    /// up to 25 % jitter so clients that failed together do not retry together.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let base = min(maxDelay.seconds, baseDelay.seconds * pow(2, Double(max(0, attempt - 1))))
        return .milliseconds(Int(base * 1000 * Double.random(in: 1.0...1.25)))
    }

    /// What one attempt came to.
    public enum Attempt<Value: Sendable>: Sendable {
        /// Done.
        case success(Value)
        /// Worth another attempt after `after` (nil: the policy's backoff); when attempts are spent,
        /// `failure` is thrown.
        case retry(after: Duration?, failure: any Error)
    }

    /// Runs `attempt` until it succeeds, fails for good, or the attempts are spent. An error thrown by
    /// `attempt` is retried with backoff when `isTransient` says so, and thrown otherwise.
    /// Cancellation ends the loop at once.
    /// - Parameters:
    ///   - isTransient: which thrown errors are worth another attempt (dropped connections, timeouts).
    ///   - onRetry: told of each retry (attempt number, its failure, the wait), for logs and metrics.
    ///   - attempt: one attempt, given its 1-based number.
    public func run<Value: Sendable>(
        isTransient: (any Error) -> Bool,
        onRetry: (_ attempt: Int, _ failure: any Error, _ wait: Duration) -> Void = { _, _, _ in },
        _ attempt: (_ number: Int) async throws -> Attempt<Value>
    ) async throws -> Value {
        var number = 0
        while true {
            number += 1
            let failure: any Error
            let wait: Duration
            do {
                switch try await attempt(number) {
                case .success(let value):
                    return value
                case .retry(let after, let error):
                    failure = error
                    wait = after.map { min($0, longestWait) } ?? backoff(afterAttempt: number)
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch  where isTransient(error) {
                failure = error
                wait = backoff(afterAttempt: number)
            }
            guard number < maxAttempts else { throw failure }
            onRetry(number, failure, wait)
            try await Task.sleep(for: wait)
        }
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
