import Foundation
import Synchronization
import Testing

@testable import ChatOpsCore

@Suite("One timer for every abandoning deadline")
struct DeadlineWatchTests {
    @Test func aDeadlineIsGivenUpOnOnceAfterItIsDueAndNotBefore() async throws {
        let watch = DeadlineWatch(resolution: .milliseconds(10))
        let given = Mutex<[ContinuousClock.Instant]>([])
        let due = ContinuousClock.now + .milliseconds(150)
        _ = watch.watch(until: due) { given.withLock { $0.append(.now) } }
        try await waitUntil { given.withLock { !$0.isEmpty } }
        try await Task.sleep(for: .milliseconds(100))
        let times = given.withLock { $0 }
        #expect(times.count == 1)
        #expect(times.allSatisfy { $0 >= due })
    }

    @Test func aStoppedWatchNeverGivesUpWhileOthersDo() async throws {
        let watch = DeadlineWatch(resolution: .milliseconds(5))
        let given = Mutex<Set<Int>>([])
        var stops: [@Sendable () -> Void] = []
        for index in 0..<200 {
            stops.append(watch.watch(until: .now + .seconds(2)) { given.withLock { _ = $0.insert(index) } })
        }
        for index in stride(from: 0, to: 200, by: 2) { stops[index]() }
        try await waitUntil { given.withLock { $0.count == 100 } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(given.withLock { $0 } == Set(stride(from: 1, to: 200, by: 2)))
    }

    @Test func theWatchStartsAgainAfterItWentQuiet() async throws {
        let watch = DeadlineWatch(resolution: .milliseconds(5))
        for round in 1...3 {
            let given = Mutex(false)
            _ = watch.watch(until: .now + .milliseconds(20)) { given.withLock { $0 = true } }
            try await waitUntil { given.withLock { $0 } }
            try await waitUntil { !watch.isTicking }  // nothing watched: the ticking task ends
            #expect(given.withLock { $0 }, "round \(round)")
        }
    }

    @Test func aLaterDeadlineWatchedFirstDoesNotDelayAnEarlierOne() async throws {
        let watch = DeadlineWatch(resolution: .milliseconds(5))
        let given = Mutex<[String]>([])
        _ = watch.watch(until: .now + .seconds(60)) { given.withLock { $0.append("late") } }
        let start = ContinuousClock.now
        _ = watch.watch(until: .now + .milliseconds(30)) { given.withLock { $0.append("early") } }
        try await waitUntil { given.withLock { $0 == ["early"] } }
        // Far sooner than the later deadline (a busy test process may delay any timer by seconds).
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    /// Polls for up to 30 s.
    private func waitUntil(_ condition: () -> Bool) async throws {
        let end = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < end else {
                Issue.record("timed out")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

@Suite("Identifiers")
struct RandomIDTests {
    @Test func anIdentifierIsAVersion7UUIDWithTheTimeFirst() throws {
        let now = Date(timeIntervalSince1970: 1_796_000_000.123)
        let id = RandomID.make(now: now)
        let parts = id.split(separator: "-").map(String.init)
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
        #expect(parts[2].first == "7")
        #expect("89ab".contains(parts[3].first!))
        #expect(UInt64(parts[0] + parts[1], radix: 16) == 1_796_000_000_123)
        #expect(UUID(uuidString: id) != nil)
    }

    @Test func identifiersAreUniqueAndSortByTheTimeTheyWereMade() {
        let ids = (0..<10_000).map { RandomID.make(now: Date(timeIntervalSince1970: 1_796_000_000 + Double($0 / 100))) }
        #expect(Set(ids).count == ids.count)
        let seconds = ids.map { $0.prefix(13) }
        #expect(seconds == seconds.sorted())
    }
}
