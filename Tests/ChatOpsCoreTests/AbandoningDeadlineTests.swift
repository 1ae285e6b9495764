import ChatOpsCore
import Foundation
import Testing

@Suite("A deadline that does not wait for its body")
struct AbandoningDeadlineTests {
    /// Ends when told to, and not when cancelled: as a pool waiting for a database that went away.
    final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var open = false
        func release() { lock.withLock { open = true } }
        var isOpen: Bool { lock.withLock { open } }
    }

    @Test func aBodyThatIgnoresCancellationIsLeftBehindAtTheDeadline() async throws {
        let gate = Gate()
        let started = ContinuousClock.now
        await #expect(throws: DeadlineExceeded(timeout: .milliseconds(200))) {
            _ = try await withAbandoningDeadline(.milliseconds(200)) {
                while !gate.isOpen { try? await Task.sleep(for: .milliseconds(20)) }
                return 1
            }
        }
        let waited = ContinuousClock.now - started
        #expect(waited < .seconds(5), "the caller got its answer without waiting for the body: \(waited)")
        gate.release()
    }

    @Test func aBodyThatAnswersInTimeGivesItsResultOrItsError() async throws {
        #expect(try await withAbandoningDeadline(.seconds(30)) { 42 } == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) { _ = try await withAbandoningDeadline(.seconds(30)) { () async throws -> Int in throw Refused() } }
    }
}
