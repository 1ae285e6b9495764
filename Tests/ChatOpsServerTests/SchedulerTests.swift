import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import Logging
import OpsBackends
import Synchronization
import Testing

@Suite("Scheduler")
struct SchedulerTests {
    func scheduler(_ bot: TestBot, cron: String = "*/10 * * * *") throws -> SchedulerService {
        let entry = ScheduledCommand(
            name: "report", schedule: try CronSchedule(cron, timeZone: .gmt), text: "status", runAs: TestBot.person("alice"),
            conversation: Conversation(platform: "test", channel: "reports"))
        return SchedulerService(entries: [entry], store: bot.store, logger: Logger(label: "test"), now: { bot.clock.now })
    }

    @Test func aRestartNeitherSkipsNorRepeatsAFiring() async throws {
        let bot = try TestBot()
        bot.clock.set(Date(timeIntervalSince1970: 1_795_000_000 - 1_795_000_000.truncatingRemainder(dividingBy: 600) + 60))
        #expect(try await scheduler(bot).tick() == 0, "the first start begins counting from now")
        bot.clock.advance(by: 600)
        #expect(try await scheduler(bot).tick() == 1)
        #expect(try await scheduler(bot).tick() == 0, "the same firing is not repeated")
        // The bot is down for 10 minutes, across one firing: a new scheduler (a restarted process) fires it once.
        bot.clock.advance(by: 10 * 60)
        #expect(try await scheduler(bot).tick() == 1)
        #expect(try await scheduler(bot).tick() == 0)
        await bot.drain()
        let posts = await bot.platform.posts.filter { $0.conversation.channel == "reports" }
        #expect(posts.count == 2, "every firing posted once")
        #expect(posts.allSatisfy { $0.reply.footer?.contains("skipped") != true })
    }

    @Test func aLongOutageFiresTheLatestMissedFiringOnceAndSaysWhatWasSkipped() async throws {
        let bot = try TestBot()
        let start = Date(timeIntervalSince1970: 1_795_000_000 - 1_795_000_000.truncatingRemainder(dividingBy: 300) + 60)
        bot.clock.set(start)
        let scheduler = try scheduler(bot, cron: "*/5 * * * *")
        try await scheduler.tick()
        // A day of downtime: 288 firings fell due.
        bot.clock.advance(by: 24 * 3600)
        #expect(try await scheduler.tick() == 1, "one firing, not 288")
        #expect(try await scheduler.tick() == 0)
        await bot.drain()
        let posts = await bot.platform.posts.filter { $0.conversation.channel == "reports" }
        #expect(posts.count == 1)
        #expect(
            posts.first?.reply.footer?.contains("287 earlier firings were skipped while the bot was down") == true,
            "\(posts.first?.reply.footer ?? "")")
        #expect(
            try await bot.store.lastFiring(entry: "report") == start.addingTimeInterval(24 * 3600 - 60),
            "the latest missed firing is the one that ran")
    }

    @Test func aQuietEntryPostsOnlyWhenTheResultChanges() async throws {
        let bot = try TestBot(quietEntries: ["report"])
        try await bot.say("deploy fraud v1", as: "alice")
        let scheduler = try scheduler(bot)
        try await scheduler.tick()
        for _ in 0..<2 {
            bot.clock.advance(by: 600)
            try await scheduler.tick()
            await bot.drain()
        }
        var reports = await bot.platform.posts.filter { $0.conversation.channel == "reports" }
        #expect(reports.count == 1, "the second identical report is not posted")
        try await bot.say("deploy fraud v2", as: "alice")
        bot.clock.advance(by: 600)
        try await scheduler.tick()
        await bot.drain()
        reports = await bot.platform.posts.filter { $0.conversation.channel == "reports" }
        #expect(reports.count == 2)
        #expect(reports.last?.reply.table.contains { $0.contains("v2") } == true)
        #expect(try await bot.store.auditEvents().contains { $0.kind == "schedule.unchanged" })
    }

    /// Wraps the sandbox: every result has a fact of its own (as an eval's latencies) and the change key given.
    struct KeyedResults: Backend {
        let inner: any Backend
        let key: @Sendable () -> String
        var name: String { inner.name }
        var operations: Set<String> { inner.operations }
        func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
            var outcome = try await inner.execute(action, context: context)
            outcome.facts.append(Fact("latency", "\(Int.random(in: 1...1_000_000)) ms"))
            outcome.changeKey = key()
            return outcome
        }
    }

    @Test func aQuietEntryComparesTheResultsChangeKeyNotItsWholeReply() async throws {
        let key = Mutex("eval:promote")
        let bot = try TestBot(quietEntries: ["report"], backend: { KeyedResults(inner: $0, key: { key.withLock { $0 } }) })
        let scheduler = try scheduler(bot)
        try await scheduler.tick()
        for _ in 0..<3 {
            bot.clock.advance(by: 600)
            try await scheduler.tick()
            await bot.drain()
        }
        var reports = await bot.platform.posts.filter { $0.conversation.channel == "reports" }
        #expect(reports.count == 1, "the same verdict with other latencies is not news")
        key.withLock { $0 = "eval:hold" }
        bot.clock.advance(by: 600)
        try await scheduler.tick()
        await bot.drain()
        reports = await bot.platform.posts.filter { $0.conversation.channel == "reports" }
        #expect(reports.count == 2, "a changed verdict is posted")
    }
}
