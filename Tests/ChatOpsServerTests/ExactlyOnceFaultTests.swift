import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import GRDB
import OpsBackends
import Testing

/// A backend that counts how often it was asked to act, around the sandbox, like a program or an
/// HTTP action that has no way of its own to notice a repeat.
final class CountingBackend: Backend, @unchecked Sendable {
    let inner: any Backend
    private let lock = NSLock()
    private var count = 0
    var name: String { inner.name }
    var operations: Set<String> { inner.operations }
    var calls: Int { lock.withLock { count } }

    init(_ inner: any Backend) { self.inner = inner }

    func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        lock.withLock { count += 1 }
        return try await inner.execute(action, context: context)
    }
}

/// A backend that holds the action open until it is cancelled (or a few seconds pass).
final class StallingBackend: Backend, @unchecked Sendable {
    let name = "sandbox"
    let operations: Set<String> = SandboxBackend.supportedOperations
    private let lock = NSLock()
    private var started = false
    private var cancelled = false
    var hasStarted: Bool { lock.withLock { started } }
    var wasCancelled: Bool { lock.withLock { cancelled } }

    func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        lock.withLock { started = true }
        for _ in 0..<100 {
            if Task.isCancelled {
                lock.withLock { cancelled = true }
                throw CancellationError()
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return Outcome(status: .succeeded, headline: "finished after stalling")
    }
}

@Suite("Exactly once under faults")
struct ExactlyOnceFaultTests {
    /// A SQLite trigger on the bot's own database: a real write that fails, as a full disk would.
    /// - Parameters:
    ///   - name: the trigger's name, for `allowWrites(failing:in:)`.
    ///   - when: the event it fails, as `BEFORE INSERT ON audit WHEN NEW.kind = 'x'`.
    func failWrites(_ name: String, when event: String, in bot: TestBot) throws {
        try database(of: bot).write { db in
            try db.execute(sql: "CREATE TRIGGER \(name) \(event) BEGIN SELECT RAISE(FAIL, 'disk full'); END")
        }
    }

    /// Removes a trigger `failWrites` made: the writes succeed again.
    func allowWrites(failing name: String, in bot: TestBot) throws {
        try database(of: bot).write { db in try db.execute(sql: "DROP TRIGGER \(name)") }
    }

    func database(of bot: TestBot) throws -> DatabaseQueue {
        try DatabaseQueue(path: bot.directory.appendingPathComponent("bot.sqlite").path)
    }

    func failAuditWrites(of kind: String, in bot: TestBot) throws {
        try failWrites("fail_\(kind.replacingOccurrences(of: ".", with: "_"))", when: "BEFORE INSERT ON audit WHEN NEW.kind = '\(kind)'", in: bot)
    }

    /// Queues `deploy fraud v7` from alice under `key`, without running it.
    func queueDeploy(key: String, in bot: TestBot) async throws -> (Inbound, EnqueueResult) {
        let inbound = Inbound(
            kind: .message(text: "deploy fraud v7"), sender: TestBot.person("alice"), conversation: Conversation(platform: "test", channel: "ops"),
            replyThread: "m1", dedupeKey: key, receivedAt: bot.clock.now)
        return (inbound, try await bot.store.enqueue(NewJob(dedupeKey: key, payload: .inbound(inbound), availableAt: bot.clock.now)))
    }

    @Test func aPostThatFailsAfterTheActionRanPostsAgainWithoutRunningItAgain() async throws {
        var counter: CountingBackend?
        let bot = try TestBot(backend: { inner in
            let counting = CountingBackend(inner)
            counter = counting
            return counting
        })
        await bot.platform.failPosts(endingWith: ":result", times: 2)
        try await bot.say("deploy fraud v7", as: "alice")
        #expect(await bot.platform.failedPosts == 2, "the result post failed twice, so the job ran three times")
        #expect(counter?.calls == 1, "the backend ran once across the three attempts")
        let result = try #require(await bot.platform.posts.last { $0.key.hasSuffix(":result") })
        #expect(result.reply.tone == .success, "the third attempt posted the recorded outcome")
        #expect(try await bot.revision(of: "fraud", env: "staging") == 1)
        let starts = try await bot.store.auditEvents().filter { $0.kind == "action.start" }
        #expect(starts.count == 1)
    }

    @Test func anAuditFailureAfterTheQuorumStillRunsTheApprovedCommand() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        let approve = try #require(await bot.lastApprovalRequest()?.buttons.first)
        try failAuditWrites(of: "approval.vote", in: bot)
        try await bot.click(approve, as: "bob", thread: request.replyConversation.thread!)
        #expect(try await bot.revision(of: "fraud", env: "prod") == 1, "the approved deploy ran although the vote's audit failed")
        #expect(try await bot.store.lock(target: "fraud@prod") == nil, "its lock was released")
    }

    @Test func aFailureOfTheStoreThatKeepsTheFleetIsTriedAgainNotPostedAsTheOutcome() async throws {
        let bot = try TestBot()
        // The fleet's exactly-once record cannot be written, as on a full disk or a database gone away.
        try failWrites("fail_executions", when: "BEFORE INSERT ON executions", in: bot)
        let (inbound, job) = try await queueDeploy(key: "state-fault", in: bot)
        await bot.worker.runOne(worker: "first")
        #expect(try await bot.store.recordedOutcome(executionID: job.jobID) == nil, "the store's failure is not the action's outcome")
        #expect(await bot.platform.posts.contains { $0.key.hasSuffix(":result") } == false, "and nothing was posted as its result")
        #expect(try await bot.store.jobStates()[inbound.dedupeKey] == .queued, "the job waits for its next attempt")

        try allowWrites(failing: "fail_executions", in: bot)
        await bot.drain()
        let result = try #require(await bot.platform.posts.last { $0.key.hasSuffix(":result") })
        #expect(result.reply.tone == .success, "\(result.reply.text)")
        #expect(try await bot.revision(of: "fraud", env: "staging") == 1)
    }

    @Test func aJobWhoseActionRanOnItsLastAttemptIsNotReportedFailedWhenItsEndCouldNotBeRecorded() async throws {
        let bot = try TestBot(lease: 0.2)
        // The job's end cannot be written, as when the database goes away right after the action.
        try failWrites("fail_done", when: "BEFORE UPDATE ON jobs WHEN NEW.state = 'done'", in: bot)
        let (inbound, _) = try await queueDeploy(key: "last-attempt", in: bot)
        await bot.worker.runOne(worker: "first")
        // Two more claims whose workers vanish (3 is this bot's last attempt), each after the lease lapsed.
        for _ in 0..<2 {
            try await Task.sleep(for: .milliseconds(250))
            #expect(try await bot.store.claim(worker: "vanished", lease: 0.2, now: Date()) != nil)
        }
        try allowWrites(failing: "fail_done", in: bot)
        try await Task.sleep(for: .milliseconds(250))
        await bot.drain()
        #expect(try await bot.store.jobStates()[inbound.dedupeKey] == .done, "the action ran: its job is done")
        #expect(await bot.platform.posts.contains { $0.key.hasSuffix(":failed") } == false, "nobody is told it failed")
        #expect(try await bot.revision(of: "fraud", env: "staging") == 1, "and it ran once")
    }

    @Test func aJobThatFailsForGoodReleasesItsLockAndCountsItsAttempts() async throws {
        let bot = try TestBot()
        await bot.platform.failPosts(endingWith: ":result", times: 100)
        try await bot.say("scale fraud 4", as: "alice")
        #expect(try await bot.store.lock(target: "fraud@staging") == nil, "the lock is released when the job gives up")
        let failure = try #require(await bot.platform.posts.last { $0.key.hasSuffix(":failed") })
        #expect(failure.reply.text.contains("after 3 attempts"), "\(failure.reply.text)")
        try await bot.say("scale fraud 5", as: "dave")
        #expect(await bot.platform.replies.contains { $0.text.contains("is locked") } == false, "the next command is not told the target is locked")
    }

    @Test func aWorkerThatLosesItsLeaseStopsActingForTheJob() async throws {
        let stalling = StallingBackend()
        let bot = try TestBot(backend: { _ in stalling }, lease: 0.3)
        let inbound = Inbound(
            kind: .message(text: "scale fraud 4"), sender: TestBot.person("alice"), conversation: Conversation(platform: "test", channel: "ops"),
            replyThread: "m1", dedupeKey: "lease-test")
        _ = try await bot.store.enqueue(inbound)
        let run = Task { await bot.worker.runOne(worker: "first") }
        while !stalling.hasStarted { try await Task.sleep(for: .milliseconds(10)) }
        // Another worker takes the job over, as it would after a long pause of this one.
        let stolen = try await bot.store.claim(worker: "second", lease: 60, now: Date().addingTimeInterval(120))
        #expect(stolen != nil)
        _ = await run.value
        #expect(stalling.wasCancelled, "the action was cancelled when the lease was found lost")
        #expect(await bot.platform.posts.contains { $0.key.hasSuffix(":result") } == false, "no result was posted by the worker that lost the job")
        #expect(try await bot.store.recordedOutcome(executionID: stolen!.id) == nil)
    }
}

/// A backend that finishes its action whatever happens meanwhile, as an HTTP call already sent does.
final class UnstoppableBackend: Backend, @unchecked Sendable {
    let name = "sandbox"
    let operations: Set<String> = SandboxBackend.supportedOperations
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }

    func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        lock.withLock { count += 1 }
        let end = ContinuousClock.now + .milliseconds(600)
        while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(20)) }
        return Outcome(status: .succeeded, headline: "applied once")
    }
}

@Suite("Lease lost after the action")
struct LeaseLostAfterTheActionTests {
    @Test func theOutcomeIsKeptSoTheNewOwnerPostsItInsteadOfRunningItAgain() async throws {
        let backend = UnstoppableBackend()
        let bot = try TestBot(backend: { _ in backend }, lease: 0.3)
        _ = try await bot.store.enqueue(
            Inbound(
                kind: .message(text: "scale fraud 4"), sender: TestBot.person("alice"), conversation: Conversation(platform: "test", channel: "ops"),
                replyThread: "m1", dedupeKey: "lease-after"))
        let first = Task { await bot.worker.runOne(worker: "first") }
        while backend.calls == 0 { try await Task.sleep(for: .milliseconds(10)) }
        // Another worker takes the job over, with a lease that lapses a second from now.
        let stolen = try #require(try await bot.store.claim(worker: "second", lease: 0.1, now: Date().addingTimeInterval(1)))
        _ = await first.value
        #expect(try await bot.store.recordedOutcome(executionID: stolen.id)?.outcome.headline == "applied once")
        // The job's new owner (after its own short lease lapses) finishes the job.
        try await Task.sleep(for: .milliseconds(1_300))
        await bot.drain()
        #expect(backend.calls == 1, "the action ran once")
        #expect(await bot.platform.posts.contains { $0.key.hasSuffix(":result") && $0.reply.text.contains("applied once") })
    }
}

@Suite("Restarts")
struct RestartTests {
    @Test func aRestartedProcessReclaimsTheJobsOfItsDeadPredecessorAtOnce() async throws {
        let bot = try TestBot()
        let host = ProcessInfo.processInfo.hostName
        let owners = [
            "\(host)-2147480000-0",  // an earlier process on this machine that is gone
            "\(host)-\(getppid())-0",  // a process on this machine that is still running
            "other-machine-1-0",  // another replica
        ]
        for (index, owner) in owners.enumerated() {
            _ = try await bot.store.enqueue(
                Inbound(
                    kind: .message(text: "status"), sender: TestBot.person("alice"), conversation: Conversation(platform: "test", channel: "ops"),
                    replyThread: "m\(index)", dedupeKey: "restart-\(index)"))
            _ = try await bot.store.claim(worker: owner, lease: 3600, now: Date())
        }
        await bot.worker.reclaimOrphanedLeases()
        #expect(try await bot.store.leaseOwners() == Set(owners.dropFirst()), "only the dead process's lease was released")
        let claimed = try await bot.store.claim(worker: "new", lease: 30, now: Date())
        #expect(claimed?.dedupeKey == "restart-0", "its job runs at once, not after its hour-long lease")
    }
}
