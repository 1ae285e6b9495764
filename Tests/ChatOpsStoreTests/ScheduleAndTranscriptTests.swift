import ChatOpsCore
import ChatOpsStore
import Foundation
import Testing

@Suite("Store: schedule state")
struct ScheduleStateTests {
    @Test(arguments: StoreKind.allCases) func recordingAFiringEnqueuesItsJobAndMovesLastFiring(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.lastFiring(entry: "nightly") == nil)
            let firing = Sample.now
            try await store.recordFiring(entry: "nightly", at: firing, job: Sample.job("schedule:nightly:1"))
            #expect(try await store.lastFiring(entry: "nightly") == firing)
            #expect(try await store.queueDepth() == 1)
            #expect(try await store.claim(worker: "w", lease: 30, now: firing)?.id == "job-schedule:nightly:1")
        }
    }

    @Test(arguments: StoreKind.allCases) func reRecordingTheSameFiringDoesNotEnqueueTwice(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let job = Sample.job("schedule:nightly:1")
            try await store.recordFiring(entry: "nightly", at: Sample.now, job: job)
            try await store.recordFiring(
                entry: "nightly", at: Sample.now, job: NewJob(dedupeKey: job.dedupeKey, payload: job.payload, availableAt: Sample.now))
            #expect(try await store.queueDepth() == 1)
            #expect(try await store.jobStates().count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases) func aFiringWithoutAJobOnlyMovesTheClock(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let later = Sample.now.addingTimeInterval(3600)
            try await store.recordFiring(entry: "nightly", at: Sample.now, job: nil)
            try await store.recordFiring(entry: "nightly", at: later, job: nil)
            #expect(try await store.lastFiring(entry: "nightly") == later)
            #expect(try await store.lastFiring(entry: "hourly") == nil)
            #expect(try await store.queueDepth() == 0)
        }
    }

    @Test(arguments: StoreKind.allCases) func lastPostDigestRoundTripsPerEntryWithoutTouchingLastFiring(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.lastPostDigest(entry: "nightly") == nil)
            try await store.recordFiring(entry: "nightly", at: Sample.now, job: nil)
            try await store.setLastPostDigest(entry: "nightly", digest: "abc")
            try await store.setLastPostDigest(entry: "nightly", digest: "def")
            try await store.setLastPostDigest(entry: "hourly", digest: "xyz")
            #expect(try await store.lastPostDigest(entry: "nightly") == "def")
            #expect(try await store.lastPostDigest(entry: "hourly") == "xyz")
            #expect(try await store.lastFiring(entry: "nightly") == Sample.now)
            try await store.recordFiring(entry: "hourly", at: Sample.now, job: nil)
            #expect(try await store.lastPostDigest(entry: "hourly") == "xyz", "recording a firing keeps the digest")
        }
    }
}

@Suite("Store: transcript")
struct TranscriptTests {
    @Test(arguments: StoreKind.allCases) func appendIsIdempotentByKey(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = try await store.appendMessage(
                channel: "ops", thread: nil, author: "alice", reply: Reply(text: "deploy fraud v12"), idempotencyKey: "m1", at: Sample.now)
            let again = try await store.appendMessage(
                channel: "ops", thread: "x", author: "mallory", reply: Reply(text: "changed"), idempotencyKey: "m1",
                at: Sample.now.addingTimeInterval(5))
            #expect(again == first)
            #expect(first.reply.text == "deploy fraud v12")
            #expect(first.createdAt == Sample.now)
            #expect(try await store.messages(channel: nil, afterID: 0).count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases) func updateReplacesTheReplyAndKeepsCreation(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let message = try await store.appendMessage(
                channel: "ops", thread: "t1", author: "bot", reply: Reply(tone: .pending, text: "deploying…"), idempotencyKey: "b1",
                at: Sample.now)
            let done = Reply(tone: .success, title: "deploy", text: "done", fields: [Fact("version", "v12")])
            try await store.updateMessage(id: message.id, reply: done, at: Sample.now.addingTimeInterval(9))
            let stored = try #require(try await store.messages(channel: "ops", afterID: 0).first)
            #expect(stored.id == message.id)
            #expect(stored.reply == done)
            #expect(stored.thread == "t1")
            #expect(stored.createdAt == Sample.now)
            #expect(stored.updatedAt == Sample.now.addingTimeInterval(9))
        }
    }

    @Test(arguments: StoreKind.allCases) func messagesFilterByChannelAndID(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var ids: [String: Int64] = [:]
            for (key, channel) in [("a", "ops"), ("b", "random"), ("c", "ops"), ("d", "ops")] {
                ids[key] = try await store.appendMessage(
                    channel: channel, thread: nil, author: "alice", reply: Reply(text: key), idempotencyKey: key, at: Sample.now
                ).id
            }
            #expect(try await store.messages(channel: "ops", afterID: 0).map(\.reply.text) == ["a", "c", "d"])
            #expect(try await store.messages(channel: "ops", afterID: ids["c"]!).map(\.reply.text) == ["d"])
            #expect(try await store.messages(channel: nil, afterID: ids["a"]!).map(\.reply.text) == ["b", "c", "d"])
            #expect(try await store.messages(channel: "none", afterID: 0).isEmpty)
            #expect(try await store.messages(channel: nil, afterID: ids["d"]!).isEmpty)
            #expect(try await store.newestMessages(channel: "ops", limit: 2).map(\.reply.text) == ["c", "d"], "the newest, oldest first")
            #expect(try await store.newestMessages(channel: nil, limit: 3).map(\.reply.text) == ["b", "c", "d"])
            #expect(try await store.newestMessages(channel: "ops", limit: 10).map(\.reply.text) == ["a", "c", "d"])
            #expect(try await store.newestMessages(channel: "none", limit: 10).isEmpty)
        }
    }
}
