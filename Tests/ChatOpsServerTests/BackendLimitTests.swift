import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import OpsBackends
import Testing

/// A backend that does not answer: every call fails as a refused connection would.
final class UnreachableBackend: Backend, @unchecked Sendable {
    let name = "sandbox"
    let operations: Set<String> = SandboxBackend.supportedOperations
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }

    func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        lock.withLock { count += 1 }
        throw BackendError("the sandbox at 10.0.0.9 did not answer: connection refused", unavailable: true)
    }
}

/// The sandbox behind a switch: unreachable until turned on.
final class SwitchableBackend: Backend, @unchecked Sendable {
    let inner: any Backend
    private let lock = NSLock()
    private var on = false
    var name: String { inner.name }
    var operations: Set<String> { inner.operations }
    var reachable: Bool {
        get { lock.withLock { on } }
        set { lock.withLock { on = newValue } }
    }

    init(_ inner: any Backend) { self.inner = inner }

    func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        guard reachable else { throw BackendError("the sandbox did not answer: connection refused", unavailable: true) }
        return try await inner.execute(action, context: context)
    }
}

@Suite("Backend time limits and circuits")
struct BackendLimitTests {
    @Test func anActionIsBoundedAsAWholeByItsBackendsTimeLimit() async throws {
        let stalling = StallingBackend()
        let bot = try TestBot(backend: { _ in stalling }, backendLimits: ["sandbox": BackendLimits(actionTimeout: .milliseconds(300))])
        try await bot.say("scale fraud 4", as: "alice")
        #expect(stalling.wasCancelled, "the action was stopped at its time limit")
        let result = try #require(await bot.platform.posts.last { $0.key.hasSuffix(":result") })
        #expect(result.reply.tone == .error)
        #expect(result.reply.text.contains("did not finish `scale`: no answer within 300 ms"), "\(result.reply.text)")
    }

    @Test func aBackendThatKeepsFailingIsReportedUnavailableAtOnce() async throws {
        let unreachable = UnreachableBackend()
        let bot = try TestBot(backend: { _ in unreachable }, backendLimits: ["sandbox": BackendLimits(circuitFailures: 2, circuitOpen: 60)])
        try await bot.say("scale fraud 4", as: "alice")
        try await bot.say("scale fraud 5", as: "alice")
        #expect(unreachable.calls == 2)
        try await bot.say("scale fraud 6", as: "alice")
        #expect(unreachable.calls == 2, "the open circuit refuses without calling")
        let refused = try #require(await bot.platform.posts.last { $0.key.hasSuffix(":result") })
        #expect(refused.reply.text.contains("The backend `sandbox` is unavailable: it failed 2 times in a row"), "\(refused.reply.text)")
        // After the open time one call is let through again.
        bot.clock.advance(by: 61)
        try await bot.say("scale fraud 7", as: "alice")
        #expect(unreachable.calls == 3)
    }

    @Test func anApprovedCommandWaitsForItsBackendInsteadOfSpendingTheApproval() async throws {
        var switchable: SwitchableBackend?
        let bot = try TestBot(
            backend: { inner in
                let backend = SwitchableBackend(inner)
                switchable = backend
                return backend
            }, backendLimits: ["sandbox": BackendLimits(circuitFailures: 1, circuitOpen: 60)])
        let backend = try #require(switchable)
        try await bot.say("deploy fraud v1", as: "alice")
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        let approve = try #require(await bot.lastApprovalRequest()?.buttons.first)
        _ = try await bot.store.enqueue(
            Inbound(
                kind: .button(approve), sender: TestBot.person("bob"),
                conversation: Conversation(platform: "test", channel: "ops", thread: request.replyConversation.thread), dedupeKey: "click-bob"))
        for _ in 0..<3 { await bot.worker.runOne(worker: "test") }
        #expect(await bot.platform.replies.contains { $0.text.contains("will run when it answers again") })
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
        #expect(try await bot.store.jobStates().values.contains(.queued), "the approved run waits in the queue")
        // The backend answers again and the circuit's time is up: the approved command runs.
        backend.reachable = true
        bot.clock.advance(by: 61)
        await bot.drain()
        #expect(try await bot.revision(of: "fraud", env: "prod") == 1)
    }
}
