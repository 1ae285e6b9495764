import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import Logging
import Testing

@Suite("A replica without workers")
struct StoringOnlyReplicaTests {
    @Test func itRunsNoJobWhileOneWithAWorkerRunsIt() async throws {
        let bot = try TestBot()
        let inbound = Inbound(
            kind: .message(text: "status fraud"), sender: TestBot.person("alice"), conversation: Conversation(platform: "test", channel: "ops"),
            replyThread: "m1", dedupeKey: "kept", receivedAt: bot.clock.now)
        _ = try await bot.store.enqueue(NewJob(dedupeKey: inbound.dedupeKey, payload: .inbound(inbound), availableAt: bot.clock.now))
        let idle = JobWorkerService(
            engine: bot.engine, settings: .init(workers: 0, poll: .milliseconds(10)), identity: "idle", logger: Logger(label: "test"))
        let running = Task { try await idle.run() }
        // Ten polls' time: a worker, had one been started, would have claimed the job by now.
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await bot.store.jobStates()["kept"] == .queued)
        running.cancel()
        _ = await running.result

        await bot.drain()
        #expect(try await bot.store.jobStates()["kept"] == .done, "the job was left for a replica that runs jobs")
    }
}
