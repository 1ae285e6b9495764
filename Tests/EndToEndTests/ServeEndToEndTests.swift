import Foundation
import Testing

@Suite("chatops serve, end to end", .serialized)
struct ServeEndToEndTests {
    @Test(.timeLimit(.minutes(3)))
    func approvalCrashAndRestartRunEveryCommandExactlyOnce() async throws {
        let bot = try BotProcess()
        try await bot.start()
        let chat = WebChatClient(baseURL: bot.baseURL)

        // A prod deploy needs a lead who is not the requester.
        let request = try await chat.say("/deploy fraud v12 --env prod", as: "alice")
        let withButtons = try await chat.waitFor("the approval request") { $0.contains { !$0.reply.buttons.isEmpty } }
        let approval = try #require(withButtons.first { !$0.reply.buttons.isEmpty })
        #expect(approval.thread == request.thread, "the approval is posted in the command's thread")
        let approve = try #require(approval.reply.buttons.first { $0.kind == "approve" })
        try await chat.click("approve", value: approve.value, as: "alice", thread: request.thread)
        _ = try await chat.waitFor("the self-approval refusal") { $0.contains { $0.author == "bot" && $0.text.contains("approve your own request") } }
        try await chat.click("approve", value: approve.value, as: "bob", thread: request.thread)
        let afterApproval = try await chat.waitFor("the prod deploy") { $0.contains { $0.text.contains("Deployed fraud v12 to prod") } }
        #expect(afterApproval.filter { $0.text.contains("Deployed fraud v12 to prod") }.count == 1)
        #expect(
            afterApproval.contains { $0.id == approval.id && $0.reply.buttons.isEmpty && $0.text.contains("Approved") },
            "the request shows the vote and loses its buttons")

        // A batch of commands; the process is killed while they run.
        let models = (1...12).map { "model-\($0)" }
        for model in models { try await chat.say("deploy \(model) v2", as: "alice", id: "batch-\(model)") }
        _ = try await chat.waitFor("the first batch result") { messages in
            messages.contains { $0.text.contains("Deployed model-") }
        }
        let beforeKill = try await chat.messages()
        bot.kill()
        let finishedBeforeKill = models.filter { model in beforeKill.contains { $0.text.contains("Deployed \(model) v2") } }
        #expect(finishedBeforeKill.count < models.count, "the kill lands in the middle of the batch")

        try await bot.start()
        // A retried delivery after the restart is recognised.
        let retried = try await chat.say("deploy model-1 v2", as: "alice", id: "batch-model-1")
        #expect(retried.duplicate)
        let done = try await chat.waitFor("every batch result", seconds: 90) { messages in
            models.allSatisfy { model in messages.contains { $0.text.contains("Deployed \(model) v2 to staging") } }
        }
        for model in models {
            #expect(done.filter { $0.text.contains("Deployed \(model) v2 to staging") }.count == 1, "\(model) reported once")
        }
        try await chat.say("status --env staging", as: "alice")
        let status = try await chat.waitFor("the status table") { $0.contains { $0.reply.table.count > models.count } }
        let table = try #require(status.last { $0.reply.table.count > models.count }?.reply.table)
        let revisionColumn = try #require(table.first?.firstIndex(of: "revision"))
        for model in models {
            let row = try #require(table.first { $0.first == model })
            #expect(row[revisionColumn] == "1", "\(model) was deployed exactly once")
        }

        let metrics = try await chat.get("/metrics")
        #expect(metrics.contains("chatops_commands_total"))
        #expect(metrics.contains("chatops_action_duration_seconds"))

        #expect(await bot.terminate() == 0, "SIGTERM shuts down gracefully")
        // Work interrupted by the kill was started again after the restart, and still applied once.
        let starts = try await bot.runCLI(["audit", "export", "--kind", "action.start"]).output.split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .compactMap { $0["subject"] as? String }
        #expect(Dictionary(grouping: starts, by: { $0 }).values.contains { $0.count > 1 }, "an interrupted action was resumed")
        let verify = try await bot.runCLI(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("chain intact"))
    }

    @Test func anInvalidCommandSetStopsTheServerFromStarting() async throws {
        let bot = try BotProcess(
            extraConfiguration: "admin_role: admin\nschedules:\n  - {name: x, cron: \"* * *\", command: status, as: a, channel: c}")
        let result = try await bot.runCLI(["validate"])
        #expect(result.status == 2)
        #expect(result.output.contains("chatops.yaml:"))
        #expect(result.output.contains("5 fields"))
        await #expect(throws: BotProcessError.self) { try await bot.start() }
    }

    @Test func runPrintsRepliesAndFailsOnErrors() async throws {
        let bot = try BotProcess()
        let ok = try await bot.runCLI(["run", "--as", "alice", "deploy fraud v1"])
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("Deployed fraud v1 to staging"))
        let bad = try await bot.runCLI(["run", "--as", "alice", "deplyo fraud v1"])
        #expect(bad.status == 1)
        #expect(bad.output.contains("Did you mean `deploy`"))
    }

    @Test func theReadmesTerminalApprovalWorks() async throws {
        let bot = try BotProcess()
        let request = try await bot.runCLI(["run", "--as", "alice", "deploy fraud-model v12 --env prod"])
        #expect(request.status == 0, "\(request.output)")
        let id = try #require(request.output.firstMatch(of: /type `approve ([a-z0-9]+)`/)?.output.1, "\(request.output)")
        let approval = try await bot.runCLI(["run", "--as", "bob", "approve \(id)"])
        #expect(approval.output.contains("Deployed fraud-model v12 to prod"), "\(approval.output)")
    }
}
