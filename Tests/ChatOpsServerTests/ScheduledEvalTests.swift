import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Evaluation
import Foundation
import LLM
import Logging
import OpsBackends
import Testing

/// A nightly eval through the scheduler, quiet unless the verdict changes or a case regresses: the
/// real eval backend on the local model, the smoke dataset in a folder the test changes between nights.
@Suite("Scheduled evaluations")
struct ScheduledEvalTests {
    @Test(.timeLimit(.minutes(3)))
    func aNightlyEvalPostsOnlyWhenItsVerdictChanges() async throws {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_LLM_URL"] else {
            throw BackendError("CHATOPS_LLM_URL is not set: run the tests with scripts/test, which starts the local model server")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nightly-\(RandomID.make())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let smoke = try String(contentsOf: TestBot.repositoryRoot.appendingPathComponent("Tests/Fixtures/evals/smoke.jsonl"), encoding: .utf8)
        try smoke.write(to: folder.appendingPathComponent("nightly.jsonl"), atomically: true, encoding: .utf8)
        let commands = try GatedPromotionTests.commands()
        try FileManager.default.removeItem(at: commands.appendingPathComponent("eval.yaml"))
        try FileManager.default.copyItem(
            at: TestBot.repositoryRoot.appendingPathComponent("commands/examples/evaluation/eval.yaml"),
            to: commands.appendingPathComponent("eval.yaml"))
        let settings = EvalSettings(
            datasets: .folder(folder), targets: EvalTargets(models: ["assistant": .init(baseURL: url, model: "smollm2", timeout: .seconds(120))]),
            concurrency: 2, rule: VerdictRule(minimumCases: 10))
        let bot = try TestBot(
            quietEntries: ["nightly"], commands: commands, configuration: "backends: {evals: {type: eval, datasets: \"\(folder.path)\"}}"
        ) { store in
            [EvalBackend(name: "evals", settings: settings, records: store, logger: Logger(label: "eval"))]
        }
        let entry = ScheduledCommand(
            name: "nightly", schedule: try CronSchedule("0 2 * * *", timeZone: .gmt), text: "eval assistant v1 --dataset nightly",
            runAs: TestBot.person("alice"), conversation: Conversation(platform: "test", channel: "evals"))
        let scheduler = SchedulerService(entries: [entry], store: bot.store, logger: Logger(label: "test"), now: { bot.clock.now })
        bot.clock.set(Date(timeIntervalSince1970: 1_795_000_000 - 1_795_000_000.truncatingRemainder(dividingBy: 86_400) + 3_600))
        try await scheduler.tick()
        func night() async throws -> [String] {
            bot.clock.advance(by: 86_400)
            #expect(try await scheduler.tick() == 1)
            await bot.drain()
            return await bot.platform.posts.filter { $0.conversation.channel == "evals" }.map(\.reply.text)
        }
        var reports = try await night()
        #expect(reports.count == 1 && reports.first?.contains("81% passed, promote") == true, "\(reports)")
        #expect(await bot.platform.attachments.count == 1, "the per-case report goes with it")

        reports = try await night()
        #expect(reports.count == 1, "the same verdict again is not news: \(reports)")
        #expect(try await bot.store.auditEvents().contains { $0.kind == "schedule.unchanged" })

        // The dataset grows with cases the model cannot pass: the pass rate falls below 80%, the verdict is hold.
        let impossible = (1...4).map { #"{"id": "hard-\#($0)", "input": "Say hello.", "checks": [{"type": "exact", "value": "zz-\#($0)-never"}]}"# }
        try (smoke + impossible.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("nightly.jsonl"), atomically: true, encoding: .utf8)
        reports = try await night()
        #expect(reports.count == 2, "a changed verdict is posted")
        #expect(reports.last?.contains("65% passed, hold") == true, "\(reports.last ?? "")")
    }
}
