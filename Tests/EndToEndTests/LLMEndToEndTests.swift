import Foundation
import Testing

@Suite("LLM summaries in chatops serve")
struct LLMEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func aResultIsSummarisedThroughTheConfiguredModelOrTheTemplate() async throws {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_LLM_URL"] else {
            throw BotProcessError("CHATOPS_LLM_URL is not set: run the tests with scripts/test, which starts the local model server")
        }
        let bot = try BotProcess(extraConfiguration: """
            llm:
              models: {small: {base_url: "\(url)", model: smollm2}}
              summary_model: small
              timeout_ms: 30000
            """)
        try await bot.start()
        let chat = WebChatClient(baseURL: bot.baseURL)
        try await chat.say("eval fraud v12", as: "alice")
        let messages = try await chat.waitFor("the eval result", seconds: 60) { $0.contains { $0.text.contains("accuracy") } }
        let result = try #require(messages.last { $0.text.contains("accuracy") })
        #expect(result.text.contains("summary by smollm2") || result.text.contains("Evaluated fraud v12"), "a guarded model summary or the template")
        let metrics = try await chat.get("/metrics")
        #expect(metrics.contains(#"llm_requests_total{model="smollm2",status="200"}"#), "the model was asked")
        #expect(bot.terminate() == 0)
        if result.text.contains("summary by smollm2") {
            let audit = try bot.runCLI(["audit", "export", "--kind", "summary"]).output
            #expect(audit.contains(#""model":"smollm2""#) && audit.contains("prompt_version"), "model, prompt version and tokens are audited")
        }
    }
}
