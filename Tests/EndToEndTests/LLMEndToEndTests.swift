import Foundation
import OpenAIAPIDouble
import Testing

@Suite("LLM summaries and plain-words requests in chatops serve", .serialized)
struct LLMEndToEndTests {
    /// Reads the result message of the last `eval` until it is final, keeping each version.
    static func resultVersions(_ chat: WebChatClient, after count: Int = 0) async throws -> [WebChatClient.Message] {
        var versions: [WebChatClient.Message] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let results = try await chat.messages().filter { $0.author == "bot" && $0.text.contains("accuracy") }
            if results.count > count, let result = results.last {
                if versions.last?.text != result.text { versions.append(result) }
                if result.reply.footer?.contains("writing a summary") != true { return versions }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BotProcessError("the result was not final within 60 s: \(versions.map(\.text))")
    }

    /// The real local model: the protocol and the stream work, and whatever it writes, the facts are posted.
    @Test(.timeLimit(.minutes(2)))
    func theLocalModelIsAskedAndTheResultKeepsItsFacts() async throws {
        let bot = try BotProcess(extraConfiguration: try BotProcess.languageModelConfiguration())
        try await bot.start()
        let chat = WebChatClient(baseURL: bot.baseURL)
        try await chat.say("eval fraud v12", as: "alice")
        let versions = try await Self.resultVersions(chat)
        // The first version read still waits for the model (a placeholder or a streamed partial): the facts did not wait.
        #expect(versions.first?.reply.footer?.contains("writing a summary") == true, "the result waited for the model: \(versions.map(\.text))")
        #expect(versions.first?.text.contains("Evaluated fraud v12 on holdout") == true, "the facts come first: \(versions.map(\.text))")
        let final = try #require(versions.last)
        #expect(final.text.contains("Evaluated fraud v12 on holdout") && final.text.contains("accuracy"), "the headline and facts: \(final.text)")
        let metrics = try await chat.get("/metrics")
        #expect(metrics.contains(#"llm_requests_total{model="smollm2",status="200"}"#), "the model was asked")
        #expect(await bot.terminate() == 0)
    }

    /// Scripted answers: one the guard accepts is added under the facts, labelled; one it refuses is
    /// counted by its reason and leaves the facts alone.
    @Test(.timeLimit(.minutes(2)))
    func anAcceptedSummaryIsAddedUnderTheFactsAndARefusedOneIsCountedByItsReason() async throws {
        try await OpenAIAPIDouble.run { double in
            let faithful = "The evaluation of fraud v12 on holdout finished."
            double.script([.answer(faithful), .answer("The evaluation of fraud v12 failed on holdout.")])
            let bot = try BotProcess(extraConfiguration: BotProcess.languageModelConfiguration(url: double.baseURL, model: "scripted"))
            try await bot.start()
            let chat = WebChatClient(baseURL: bot.baseURL)
            try await chat.say("eval fraud v12", as: "alice")
            let accepted = try #require(try await Self.resultVersions(chat).last)
            #expect(accepted.text.contains("Evaluated fraud v12 on holdout") && accepted.text.contains("accuracy"), "the facts: \(accepted.text)")
            #expect(
                accepted.text.contains("Summary written by the language model scripted: \(faithful)"), "the model's text, labelled: \(accepted.text)")

            try await chat.say("eval fraud v12", as: "alice")
            let refused = try #require(try await Self.resultVersions(chat, after: 1).last)
            #expect(refused.text.contains("Evaluated fraud v12 on holdout") && refused.text.contains("accuracy"))
            #expect(!refused.text.contains("Summary written by") && !refused.text.contains("failed"), "\(refused.text)")
            let metrics = try await chat.get("/metrics")
            #expect(
                metrics.contains(#"llm_guard_rejections_total{reason="polarity"} 1"#),
                "\(metrics.split(separator: "\n").filter { $0.contains("llm_") })")
            #expect(await bot.terminate() == 0)
            let audit = try await bot.runCLI(["audit", "export", "--kind", "summary"]).output
            #expect(
                audit.components(separatedBy: #""model":"scripted""#).count == 2 && audit.contains("prompt_version"),
                "only the posted summary is audited")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aPlainWordsRequestIsProposedAndRunsOnlyWhenTheRequesterClicksRun() async throws {
        try await OpenAIAPIDouble.run { double in
            double.script([.byPurpose(summary: "", intent: #"{"command": "rollback", "parameters": {"model": "fraud", "env": "prod"}}"#)])
            let bot = try BotProcess(extraConfiguration: BotProcess.languageModelConfiguration(url: double.baseURL, model: "scripted"))
            try await bot.start()
            let chat = WebChatClient(baseURL: bot.baseURL)
            let asked = try await chat.say("@chatops roll back the fraud model in prod please", as: "alice")
            let messages = try await chat.waitFor("the proposal", seconds: 60) { messages in
                messages.contains { $0.thread == asked.thread && $0.reply.title?.hasPrefix("Did you mean") == true }
            }
            let proposal = try #require(messages.last { $0.thread == asked.thread && $0.author == "bot" })
            #expect(proposal.reply.title == "Did you mean `rollback fraud --env prod`?", "\(proposal.reply.title ?? "")")
            #expect(proposal.reply.buttons.map(\.kind) == ["run", "cancel"])
            #expect(
                !messages.contains { $0.text.contains("Running `") || $0.reply.title?.hasPrefix("Approval needed") == true }, "nothing ran before Run"
            )
            let run = try #require(proposal.reply.buttons.first { $0.kind == "run" })
            try await chat.click("run", value: run.value, as: "bob", thread: asked.thread)
            _ = try await chat.waitFor("bob's click refused") { $0.contains { $0.text.contains("Only alice can run or cancel") } }
            try await chat.click("run", value: run.value, as: "alice", thread: asked.thread)
            // A prod rollback needs a lead's approval: the confirmed command asks for it, in the thread.
            _ = try await chat.waitFor("the approval request") { messages in
                messages.contains { $0.thread == asked.thread && $0.reply.title?.hasPrefix("Approval needed") == true }
            }
            #expect(await bot.terminate() == 0)
            let audit = try await bot.runCLI(["audit", "export"]).output
            #expect(audit.contains("intent.requested") && audit.contains("intent.proposed"))
        }
    }
}
