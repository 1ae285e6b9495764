import ChatOpsCore
import ChatOpsStore
import Foundation
import Testing

@Suite("Store: as a job queue")
struct JobQueueTests {
    let now = Sample.now

    @Test(arguments: StoreKind.allCases) func aSecondEnqueueWithTheSameKeyIsADuplicateOfTheFirst(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.enqueue(Sample.job("slack:1", id: "first")) == .enqueued(jobID: "first"))
            #expect(try await store.enqueue(Sample.job("slack:1", id: "second")) == .duplicate(jobID: "first"))
            #expect(try await store.queueDepth() == 1)
            let claimed = try #require(try await store.claim(worker: "w1", lease: 30, now: now))
            #expect(claimed.id == "first")
            #expect(claimed.dedupeKey == "slack:1")
            #expect(claimed.payload == .runApproved(approvalID: "a-slack:1"))
            #expect(claimed.state == .running)
            #expect(claimed.attempts == 1)
        }
    }

    @Test(arguments: StoreKind.allCases) func theSameJobOfferedAgainIsADuplicateAloneOrInABatch(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let job = Sample.job("slack:again", id: "again")
            #expect(try await store.enqueue(job) == .enqueued(jobID: "again"))
            #expect(try await store.enqueue(job) == .duplicate(jobID: "again"), "both its id and its dedupe key are taken")
            let batch = try await store.enqueue(batch: [job, Sample.job("slack:new", id: "new")])
            #expect(batch == [EnqueueResult.duplicate(jobID: "again"), .enqueued(jobID: "new")])
            #expect(try await store.queueDepth() == 2)
        }
    }

    @Test(arguments: StoreKind.allCases) func aJobIsClaimedByOneWorkerOnly(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.enqueue(Sample.job("k"))
            #expect(try await store.claim(worker: "w1", lease: 30, now: now) != nil)
            #expect(try await store.claim(worker: "w2", lease: 30, now: now) == nil)
            #expect(try await store.claim(worker: "w1", lease: 30, now: now) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func jobsAreClaimedOldestFirst(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for key in ["a", "b", "c"] { _ = try await store.enqueue(Sample.job(key)) }
            var order: [String] = []
            while let job = try await store.claim(worker: "w", lease: 30, now: now) { order.append(job.dedupeKey) }
            #expect(order == ["a", "b", "c"])
        }
    }

    @Test(arguments: StoreKind.allCases) func aJobIsNotClaimedBeforeItIsAvailable(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.enqueue(Sample.job("later", availableAt: now.addingTimeInterval(60)))
            #expect(try await store.claim(worker: "w", lease: 30, now: now) == nil)
            #expect(try await store.claim(worker: "w", lease: 30, now: now.addingTimeInterval(60))?.dedupeKey == "later")
        }
    }

    @Test(arguments: StoreKind.allCases) func anExpiredLeaseIsReclaimedByAnotherWorker(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.enqueue(Sample.job("k"))
            let first = try #require(try await store.claim(worker: "w1", lease: 30, now: now))
            #expect(try await store.claim(worker: "w2", lease: 30, now: now.addingTimeInterval(30)) == nil, "the lease lasts 30 s")
            let second = try #require(try await store.claim(worker: "w2", lease: 30, now: now.addingTimeInterval(31)))
            #expect(second.id == first.id)
            #expect(second.attempts == 2)
            #expect(try await store.renewLease(jobID: first.id, worker: "w1", until: now.addingTimeInterval(90)) == false)
            try await store.finish(jobID: first.id, worker: "w1", state: .failed, note: "late")
            #expect(try await store.jobStates()["k"] == .running, "the worker that lost the lease cannot finish it")
            try await store.finish(jobID: first.id, worker: "w2", state: .done, note: nil)
            #expect(try await store.jobStates()["k"] == .done)
        }
    }

    @Test(arguments: StoreKind.allCases) func renewingKeepsTheJobAndFailsForTheWrongWorker(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.enqueue(Sample.job("k"))
            let job = try #require(try await store.claim(worker: "w1", lease: 30, now: now))
            #expect(try await store.renewLease(jobID: job.id, worker: "w2", until: now.addingTimeInterval(300)) == false)
            #expect(try await store.renewLease(jobID: job.id, worker: "w1", until: now.addingTimeInterval(300)))
            #expect(try await store.claim(worker: "w2", lease: 30, now: now.addingTimeInterval(120)) == nil, "renewed lease still holds")
            #expect(try await store.claim(worker: "w2", lease: 30, now: now.addingTimeInterval(301)) != nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func renewingAFinishedJobFails(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.enqueue(Sample.job("k"))
            let job = try #require(try await store.claim(worker: "w1", lease: 30, now: now))
            try await store.finish(jobID: job.id, worker: "w1", state: .done, note: nil)
            #expect(try await store.renewLease(jobID: job.id, worker: "w1", until: now.addingTimeInterval(300)) == false)
        }
    }

    @Test(arguments: StoreKind.allCases) func finishedJobsLeaveTheQueue(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.enqueue(Sample.job("ok"))
            _ = try await store.enqueue(Sample.job("bad"))
            #expect(try await store.queueDepth() == 2)
            let first = try #require(try await store.claim(worker: "w", lease: 30, now: now))
            #expect(try await store.queueDepth() == 2, "running jobs still count")
            try await store.finish(jobID: first.id, worker: "w", state: .done, note: nil)
            let second = try #require(try await store.claim(worker: "w", lease: 30, now: now))
            try await store.finish(jobID: second.id, worker: "w", state: .failed, note: "boom")
            #expect(try await store.queueDepth() == 0)
            #expect(try await store.jobStates() == ["ok": .done, "bad": .failed])
            #expect(try await store.claim(worker: "w", lease: 30, now: now.addingTimeInterval(3600)) == nil, "finished jobs never return")
            #expect(try await store.enqueue(Sample.job("ok", id: "again")) == .duplicate(jobID: "job-ok"), "dedupe outlives the job")
        }
    }

    @Test(arguments: StoreKind.allCases) func retryRequeuesAtTheGivenTime(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.enqueue(Sample.job("k"))
            let job = try #require(try await store.claim(worker: "w1", lease: 30, now: now))
            try await store.retry(jobID: job.id, worker: "w2", at: now, note: "not mine")
            #expect(try await store.jobStates()["k"] == .running, "only the holder can retry")
            try await store.retry(jobID: job.id, worker: "w1", at: now.addingTimeInterval(10), note: "backend down")
            #expect(try await store.jobStates()["k"] == .queued)
            #expect(try await store.queueDepth() == 1)
            #expect(try await store.claim(worker: "w2", lease: 30, now: now.addingTimeInterval(9)) == nil)
            let again = try #require(try await store.claim(worker: "w2", lease: 30, now: now.addingTimeInterval(10)))
            #expect(again.attempts == 2)
        }
    }

    @Test(arguments: StoreKind.allCases) func releaseLeasesReturnsOnlyThatWorkersJobs(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for key in ["a", "b", "c"] { _ = try await store.enqueue(Sample.job(key)) }
            let a = try #require(try await store.claim(worker: "w1", lease: 30, now: now))
            let b = try #require(try await store.claim(worker: "w1", lease: 30, now: now))
            _ = try #require(try await store.claim(worker: "w2", lease: 30, now: now))
            try await store.finish(jobID: b.id, worker: "w1", state: .done, note: nil)
            #expect(try await store.releaseLeases(worker: "w1") == 1)
            #expect(try await store.jobStates() == ["a": .queued, "b": .done, "c": .running])
            let reclaimed = try #require(try await store.claim(worker: "w3", lease: 30, now: now))
            #expect(reclaimed.id == a.id)
            #expect(try await store.releaseLeases(worker: "w1") == 0)
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentClaimersNeverShareAJob(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for index in 0..<20 { _ = try await store.enqueue(Sample.job("job-\(index)")) }
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [String] = []
                        while let job = try await store.claim(worker: "w\(worker)", lease: 60, now: now) { mine.append(job.id) }
                        return mine
                    }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 20)
            #expect(Set(all).count == 20)
            #expect(try await store.queueDepth() == 20, "all claimed, none finished")
        }
    }
}
