import Foundation
import Testing

@Suite("LLM summaries and plain-words requests in chatops serve", .serialized)
struct LLMEndToEndTests {
    static func bot() throws -> BotProcess {
        try BotProcess(extraConfiguration: try BotProcess.languageModelConfiguration())
    }

    @Test(.timeLimit(.minutes(2)))
    func aResultIsPostedAtOnceThenSummarisedInPlace() async throws {
        let bot = try Self.bot()
        try await bot.start()
        let chat = WebChatClient(baseURL: bot.baseURL)
        try await chat.say("eval fraud v12", as: "alice")
        // Watch the result message change: first the template with "writing a summary", then the final reply.
        var versions: [String] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let messages = try await chat.messages()
            if let result = messages.last(where: { $0.author == "bot" && $0.text.contains("accuracy") }) {
                if versions.last != result.text { versions.append(result.text) }
                if result.reply.footer?.contains("writing a summary") != true { break }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(versions.first?.contains("writing a summary") == true, "the result was posted before the model answered: \(versions)")
        let final = try #require(versions.last)
        #expect(!final.contains("writing a summary"), "and then finalized")
        #expect(final.contains("summary by smollm2") || final.contains("Evaluated fraud v12"), "a guarded model summary or the template")
        let metrics = try await chat.get("/metrics")
        #expect(metrics.contains(#"llm_requests_total{model="smollm2",status="200"}"#), "the model was asked")
        #expect(bot.terminate() == 0)
        if final.contains("summary by smollm2") {
            let audit = try bot.runCLI(["audit", "export", "--kind", "summary"]).output
            #expect(audit.contains(#""model":"smollm2""#) && audit.contains("prompt_version"), "model, prompt version and tokens are audited")
        }
        print("streamed result went through \(versions.count) versions")
    }

    @Test(.timeLimit(.minutes(2)))
    func aPlainWordsRequestIsProposedAndRunsOnlyWhenTheRequesterClicksRun() async throws {
        let bot = try Self.bot()
        try await bot.start()
        let chat = WebChatClient(baseURL: bot.baseURL)
        let asked = try await chat.say("@chatops roll back the fraud model in prod please", as: "alice")
        let messages = try await chat.waitFor("the proposal or the list of commands", seconds: 60) { messages in
            messages.contains { $0.thread == asked.thread && ($0.reply.title?.hasPrefix("Did you mean") == true || $0.reply.title == "I couldn't turn that into a command") }
        }
        let answer = try #require(messages.last { $0.thread == asked.thread && $0.author == "bot" })
        #expect(!messages.contains { $0.text.contains("Running `") }, "nothing ran before Run")
        if let run = answer.reply.buttons.first(where: { $0.kind == "run" }) {
            #expect(answer.reply.buttons.map(\.kind) == ["run", "cancel"])
            try await chat.click("run", value: run.value, as: "bob", thread: asked.thread)
            _ = try await chat.waitFor("bob's click refused") { $0.contains { $0.text.contains("Only alice can run or cancel") } }
            try await chat.click("run", value: run.value, as: "alice", thread: asked.thread)
            _ = try await chat.waitFor("the confirmed command running") { messages in
                messages.contains { $0.text.contains("Running `") || $0.reply.title?.hasPrefix("Approval needed") == true || $0.reply.tone == "error" }
            }
            print("plain words: proposed \(answer.reply.title ?? "")")
        } else {
            #expect(answer.reply.table.contains { $0.first?.contains("rollback") == true }, "the list of commands")
            print("plain words: not understood: \(answer.reply.text)")
        }
        #expect(bot.terminate() == 0)
        let audit = try bot.runCLI(["audit", "export"]).output
        #expect(audit.contains("intent.requested"))
        #expect(audit.contains("intent.proposed") || audit.contains("intent.not_understood"))
    }
}
