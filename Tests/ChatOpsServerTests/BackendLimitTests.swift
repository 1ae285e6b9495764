import ChatOpsCore
import ChatOpsServer
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
}
