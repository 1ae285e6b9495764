import ChatOpsCore
import Foundation
import Synchronization
import Testing

@Suite("A deadline that does not wait for its body")
struct AbandoningDeadlineTests {
    /// Ends when told to, and not when cancelled: as a pool waiting for a database that went away.
    final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var open = false
        private var passed = false
        func release() { lock.withLock { open = true } }
        var isOpen: Bool { lock.withLock { open } }
        func pass() { lock.withLock { passed = true } }
        var hasPassed: Bool { lock.withLock { passed } }
    }

    @Test func aBodyThatIgnoresCancellationIsLeftBehindAtTheDeadline() async throws {
        let gate = Gate()
        await #expect(throws: DeadlineExceeded(timeout: .milliseconds(200))) {
            _ = try await withAbandoningDeadline(.milliseconds(200)) {
                while !gate.isOpen { try? await Task.sleep(for: .milliseconds(20)) }
                gate.pass()
                return 1
            }
        }
        #expect(!gate.hasPassed, "the caller got its answer while the body was still waiting at the gate")
        gate.release()
    }

    @Test func aBodyThatAnswersInTimeGivesItsResultOrItsError() async throws {
        #expect(try await withAbandoningDeadline(.seconds(30)) { 42 } == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) { _ = try await withAbandoningDeadline(.seconds(30)) { () async throws -> Int in throw Refused() } }
    }

    struct Closed: Error, Equatable {}

    @Test func aReasonGivenAtOnceAnswersWithoutWaitingForTheBody() async throws {
        let gate = Gate()
        await #expect(throws: Closed()) {
            _ = try await withAbandoningRace({
                while !gate.isOpen { try? await Task.sleep(for: .milliseconds(20)) }
                gate.pass()
                return 1
            }) { giveUp in
                giveUp(Closed())
                return {}
            }
        }
        #expect(!gate.hasPassed)
        gate.release()
    }

    @Test func aBodyThatAnswersFirstStopsTheWatchOnceAndALaterReasonChangesNothing() async throws {
        let stops = Gate()
        let later = Mutex<(@Sendable (any Error) -> Void)?>(nil)
        let value = try await withAbandoningRace({ 7 }) { giveUp in
            later.withLock { $0 = giveUp }
            return { stops.pass() }
        }
        #expect(value == 7)
        #expect(stops.hasPassed, "the watch was stopped when the body answered")
        later.withLock { $0 }?(Closed())  // answered already: nothing happens, nothing crashes
    }
}
