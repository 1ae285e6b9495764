import ChatOpsCore
import ChatOpsStore
import Foundation
import Testing

@Suite("Store: jobs stored together (group commit)")
struct GroupCommitTests {
    @Test(arguments: StoreKind.allCases) func aBatchStoresEachNewKeyOnceInOrder(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.enqueue(Sample.job("old", id: "stored-before"))
            let results = try await store.enqueue(batch: [
                Sample.job("a", id: "first-a"), Sample.job("old", id: "again-old"), Sample.job("a", id: "second-a"), Sample.job("b", id: "only-b"),
            ])
            #expect(
                results == [
                    .enqueued(jobID: "first-a"), .duplicate(jobID: "stored-before"), .duplicate(jobID: "first-a"), .enqueued(jobID: "only-b"),
                ])
            #expect(try await store.queueDepth() == 3)
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentArrivalsShareCommitsAndEachLearnsItsOwnResult(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // The write timeout is not under test here: long enough for a loaded machine.
            let commits = GroupCommit(queue: store, maxBatch: 16, writeTimeout: .seconds(120))
            // 300 arrivals at once: 200 keys, every third one delivered twice.
            let arrivals = (0..<300).map { index in index < 200 ? index : (index - 200) * 2 }
            let results = try await withThrowingTaskGroup(of: (Int, EnqueueResult).self) { group in
                for (position, key) in arrivals.enumerated() {
                    group.addTask { (key, try await commits.enqueue(Sample.job("k\(key)", id: "job-\(position)"))) }
                }
                return try await group.reduce(into: [(Int, EnqueueResult)]()) { $0.append($1) }
            }
            let byKey = Dictionary(grouping: results, by: \.0)
            #expect(byKey.count == 200)
            for (key, answers) in byKey {
                let stored = answers.filter { !$0.1.isDuplicate }
                #expect(stored.count == 1, "key \(key) stored once")
                #expect(Set(answers.map(\.1.jobID)).count == 1, "every delivery of key \(key) learns the one job")
            }
            #expect(try await store.queueDepth() == 200)
        }
    }

    @Test func aFailedCommitFailsItsArrivalAndTheNextIsWrittenAnew() async throws {
        // The write timeout is not under test here (its timer needs a thread of the task pool, so a test process
        // whose task pool is busy would otherwise see it first).
        let commits = GroupCommit(queue: FailingOnce(), writeTimeout: .seconds(120))
        await #expect(throws: FailingOnce.Refused.self) { _ = try await commits.enqueue(Sample.job("x")) }
        #expect(try await commits.enqueue(Sample.job("y")) == .enqueued(jobID: "job-y"), "the next arrival is written anew")
    }
}

/// A job queue whose first batch write fails, as a database that went away would.
private actor FailingOnce: JobQueue {
    struct Refused: Error {}
    private var failed = false

    func enqueue(batch jobs: [NewJob]) async throws -> [EnqueueResult] {
        if !failed {
            failed = true
            throw Refused()
        }
        return jobs.map { .enqueued(jobID: $0.id) }
    }

    func enqueue(_ job: NewJob) async throws -> EnqueueResult { try await enqueue(batch: [job])[0] }
    func claim(worker: String, lease: TimeInterval, now: Date) async throws -> Job? { nil }
    func renewLease(jobID: String, worker: String, until: Date) async throws -> Bool { false }
    func finish(jobID: String, worker: String, state: Job.State, note: String?) async throws {}
    func retry(jobID: String, worker: String, at: Date, note: String) async throws {}
    func postpone(jobID: String, worker: String, until: Date, note: String) async throws {}
    func releaseLeases(worker: String) async throws -> Int { 0 }
    func leaseOwners() async throws -> Set<String> { [] }
    func queueDepth() async throws -> Int { 0 }
    func jobStates() async throws -> [String: Job.State] { [:] }
}
