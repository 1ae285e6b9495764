import Foundation
import Testing

/// `/eval` from the web chat through `chatops serve`, with the example `eval` command on the `eval`
/// backend, against the local model that `scripts/test` starts and the smoke dataset of the tests.
@Suite("Evaluations from chat through chatops serve", .serialized)
struct EvaluationEndToEndTests {
    @Test(.timeLimit(.minutes(3)))
    func anEvalRunsTheDatasetOnTheLocalModelAndAnswersWithItsVerdictAndRule() async throws {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_LLM_URL"] else {
            throw BotProcessError("CHATOPS_LLM_URL is not set: run the tests with scripts/test, which starts the local model server")
        }
        let commands = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-commands-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: BotProcess.repositoryRoot.appendingPathComponent("commands"), to: commands)
        try FileManager.default.removeItem(at: commands.appendingPathComponent("eval.yaml"))
        try FileManager.default.copyItem(
            at: BotProcess.repositoryRoot.appendingPathComponent("commands/examples/evaluation/eval.yaml"),
            to: commands.appendingPathComponent("eval.yaml"))
        let datasets = BotProcess.repositoryRoot.appendingPathComponent("Tests/Fixtures/evals")
        let bot = try BotProcess(
            extraConfiguration: """
                llm:
                  models: {assistant: {base_url: "\(url)", model: smollm2}}
                  timeout_ms: 120000
                backends:
                  evals: {type: eval, datasets: "\(datasets.path)", concurrency: 2}
                """, commands: commands)
        try await bot.start()
        let chat = WebChatClient(baseURL: bot.baseURL)
        try await chat.say("eval assistant v1 --dataset smoke", as: "alice")
        let messages = try await chat.waitFor("the eval's result", seconds: 150) {
            $0.contains { $0.text.contains("eval of assistant v1 on smoke: 81% passed, hold") }
        }
        let result = try #require(messages.last { $0.text.contains("eval of assistant v1 on smoke") })
        #expect(result.text.contains("16 cases are fewer than the 20 a verdict needs"), "the rule that decided: \(result.text)")
        #expect(result.text.contains("13/16"), "\(result.text)")
        #expect(await bot.terminate() == 0)
    }
}
