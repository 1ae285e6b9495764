import Foundation
import NIOHTTP1
import OutboundHTTP
import Testing

/// A failed attempt, named by its number.
private struct AttemptFailed: Error, Equatable {
    var attempt: Int
}

/// A refusal no retry can change (a bad token).
private struct Refused: Error, Equatable {}

/// A dropped connection.
private struct Dropped: Error, Equatable {}

@Suite("The retry helper every outbound client shares: Retry-After, backoff, the retry loop, the pacer")
struct RetryPolicyTests {
    /// A policy whose backoff is a millisecond, so that retries cost nothing.
    static func quick(maxAttempts: Int, longestWait: Duration = .seconds(60)) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1), longestWait: longestWait)
    }

    static func retryAfter(_ value: String) -> HTTPHeaders {
        HTTPHeaders([("Retry-After", value)])
    }

    static func inMilliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    @Test func retryAfterReadsSecondsAndFractionsOfSeconds() {
        #expect(RetryAfter.wait(in: Self.retryAfter("3")) == .seconds(3))
        #expect(RetryAfter.wait(in: Self.retryAfter("1.5")) == .milliseconds(1500))
        #expect(RetryAfter.wait(in: HTTPHeaders([("retry-after", " 2 ")])) == .seconds(2), "any case, spaces trimmed")
    }

    @Test func retryAfterReadsAnHTTPDateRelativeToNow() {
        let date = Self.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")
        let halfAMinuteBefore = Date(timeIntervalSince1970: 1_445_412_450)
        #expect(RetryAfter.wait(in: date, now: halfAMinuteBefore) == .seconds(30))
        let aMinuteAfter = Date(timeIntervalSince1970: 1_445_412_540)
        #expect(RetryAfter.wait(in: date, now: aMinuteAfter) == .zero, "a date already past asks for no wait")
    }

    @Test func retryAfterRefusesWhatItCannotRead() {
        #expect(RetryAfter.wait(in: HTTPHeaders()) == nil)
        for garbage in ["", "soon", "12 seconds", "nan", "inf", "21/10/2015"] {
            #expect(RetryAfter.wait(in: Self.retryAfter(garbage)) == nil, "\(garbage)")
        }
    }

    @Test func backoffDoublesUpToItsCapWithAQuarterOfJitter() {
        let policy = RetryPolicy(baseDelay: .milliseconds(125), maxDelay: .seconds(1))
        let bases: [Double] = [125, 250, 500, 1000, 1000, 1000]
        for (index, base) in bases.enumerated() {
            for _ in 0..<50 {
                let wait = Self.inMilliseconds(policy.backoff(afterAttempt: index + 1))
                #expect(wait >= base && wait <= base * 1.25, "after attempt \(index + 1): \(wait) ms")
            }
        }
        let far = Self.inMilliseconds(policy.backoff(afterAttempt: 40))
        #expect(far >= 1000 && far <= 1250, "capped however many attempts failed")
        let waits = Set((0..<100).map { _ in policy.backoff(afterAttempt: 3) })
        #expect(waits.count > 1, "clients that failed together do not retry together")
    }

    @Test func stopsAfterMaxAttemptsAndThrowsTheLastFailure() async {
        var numbers: [Int] = []
        var retried: [Int] = []
        await #expect(throws: AttemptFailed(attempt: 3)) {
            try await Self.quick(maxAttempts: 3).run(isTransient: { _ in true }, onRetry: { number, _, _ in retried.append(number) }) {
                number -> RetryPolicy.Attempt<Int> in
                numbers.append(number)
                return .retry(after: nil, failure: AttemptFailed(attempt: number))
            }
        }
        #expect(numbers == [1, 2, 3])
        #expect(retried == [1, 2], "no wait after the last attempt")
    }

    @Test func waitsWhatTheServerAskedWithinTheLongestWait() async throws {
        let policy = Self.quick(maxAttempts: 2, longestWait: .milliseconds(50))
        let cases: [(asked: Duration, waited: Duration)] = [(.milliseconds(30), .milliseconds(30)), (.seconds(30), .milliseconds(50))]
        for (asked, waited) in cases {
            var waits: [Duration] = []
            let clock = ContinuousClock()
            let started = clock.now
            let value = try await policy.run(isTransient: { _ in false }, onRetry: { _, _, wait in waits.append(wait) }) {
                number -> RetryPolicy.Attempt<Int> in
                number == 1 ? .retry(after: asked, failure: AttemptFailed(attempt: number)) : .success(number)
            }
            let elapsed = clock.now - started
            #expect(value == 2)
            #expect(waits == [waited], "the server's wait, not the backoff, within the longest wait")
            // Well under the 30 s asked: a loaded machine may hold a 50 ms sleep for seconds (seen once at over 5 s).
            #expect(elapsed >= waited && elapsed < .seconds(20), "slept \(elapsed) when \(asked) was asked")
        }
    }

    @Test func retriesTransientErrorsOnly() async throws {
        var numbers: [Int] = []
        let value = try await Self.quick(maxAttempts: 4).run(isTransient: { $0 is Dropped }, onRetry: { _, _, _ in }) {
            number -> RetryPolicy.Attempt<Int> in
            numbers.append(number)
            if number < 3 { throw Dropped() }
            return .success(number)
        }
        #expect(value == 3 && numbers == [1, 2, 3])

        numbers = []
        await #expect(throws: Refused()) {
            try await Self.quick(maxAttempts: 4).run(isTransient: { $0 is Dropped }, onRetry: { _, _, _ in }) {
                number -> RetryPolicy.Attempt<Int> in
                numbers.append(number)
                throw Refused()
            }
        }
        #expect(numbers == [1], "a refusal is not retried")
    }

    @Test func cancellationEndsTheLoopAtOnce() async {
        var numbers: [Int] = []
        await #expect(throws: CancellationError.self) {
            try await Self.quick(maxAttempts: 4).run(isTransient: { _ in true }, onRetry: { _, _, _ in }) {
                number -> RetryPolicy.Attempt<Int> in
                numbers.append(number)
                throw CancellationError()
            }
        }
        #expect(numbers == [1], "even when every error is called transient")

        let policy = RetryPolicy(maxAttempts: 3, longestWait: .seconds(60))
        let task = Task {
            try await policy.run(isTransient: { _ in true }, onRetry: { _, _, _ in }) { number -> RetryPolicy.Attempt<Int> in
                .retry(after: .seconds(30), failure: AttemptFailed(attempt: number))
            }
        }
        try? await Task.sleep(for: .milliseconds(20))
        let started = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(5), "a cancelled caller does not sit out the wait")
    }

    @Test func aPacerSpacesCallsOnOneKeyByItsInterval() async {
        let pacer = ChannelPacer(interval: .milliseconds(40))
        let clock = ContinuousClock()
        let started = clock.now
        await pacer.wait(for: "C1")
        await pacer.wait(for: "C1")
        #expect(clock.now - started >= .milliseconds(40))
    }

    @Test func aPacerDoesNotSpaceCallsOnDifferentKeys() async {
        let pacer = ChannelPacer(interval: .seconds(10))
        let clock = ContinuousClock()
        let started = clock.now
        await pacer.wait(for: "C1")
        await pacer.wait(for: "C2")
        #expect(clock.now - started < .seconds(2))
    }
}
