import Foundation
import Testing

/// `/eval` from the web chat through `chatops serve`, with the example `eval` command on the `eval`
/// backend, against the local model that `scripts/test` starts and the smoke dataset of the tests.
@Suite("Evaluations from chat through chatops serve", .serialized)
struct EvaluationEndToEndTests {
    /// The local model's URL, and a copy of the repository's commands with the example `eval` in place.
    static func setUp() throws -> (url: String, commands: URL) {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_LLM_URL"] else {
            throw BotProcessError("CHATOPS_LLM_URL is not set: run the tests with scripts/test, which starts the local model server")
        }
        let commands = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-commands-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: BotProcess.repositoryRoot.appendingPathComponent("commands"), to: commands)
        try FileManager.default.removeItem(at: commands.appendingPathComponent("eval.yaml"))
        try FileManager.default.copyItem(
            at: BotProcess.repositoryRoot.appendingPathComponent("commands/examples/evaluation/eval.yaml"),
            to: commands.appendingPathComponent("eval.yaml"))
        return (url, commands)
    }

    /// The bot on the local model, with an `evals` backend on the tests' datasets.
    static func bot(url: String, commands: URL, evalOptions: String = "") throws -> BotProcess {
        let datasets = BotProcess.repositoryRoot.appendingPathComponent("Tests/Fixtures/evals")
        return try BotProcess(
            extraConfiguration: """
                llm:
                  models: {assistant: {base_url: "\(url)", model: smollm2}}
                  timeout_ms: 120000
                backends:
                  evals: {type: eval, datasets: "\(datasets.path)", concurrency: 2\(evalOptions)}
                """, commands: commands)
    }

    @Test(.timeLimit(.minutes(3)))
    func anEvalRunsTheDatasetOnTheLocalModelAndAnswersWithItsVerdictAndRule() async throws {
        let (url, commands) = try Self.setUp()
        let bot = try Self.bot(url: url, commands: commands)
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

    /// The scenario: a deploy to prod whose approval requires a promote verdict of exactly
    /// that version is refused approval until `/eval` of that version says promote, then approved.
    @Test(.timeLimit(.minutes(4)))
    func aProdDeployIsRefusedApprovalUntilAnEvalOfThatVersionSaysPromoteThenApproved() async throws {
        let (url, commands) = try Self.setUp()
        let deploy = commands.appendingPathComponent("deploy.yaml")
        let gated = try String(contentsOf: deploy, encoding: .utf8).replacingOccurrences(
            of: "  expires: 2h\n", with: "  expires: 2h\n  requires: {eval: {dataset: smoke, verdict: promote, max_age: 24h}}\n")
        #expect(gated.contains("requires: {eval"), "the shipped deploy command has an approval to extend")
        try gated.write(to: deploy, atomically: true, encoding: .utf8)
        let bot = try Self.bot(url: url, commands: commands, evalOptions: ", verdict: {min_cases: 10}")
        try await bot.start()
        let chat = WebChatClient(baseURL: bot.baseURL)

        let request = try await chat.say("deploy assistant v12 --env prod", as: "alice")
        let cards = try await chat.waitFor("the approval card") { $0.contains { !$0.reply.buttons.isEmpty } }
        let card = try #require(cards.first { !$0.reply.buttons.isEmpty })
        #expect(card.text.contains("no eval of assistant v12 on smoke yet"), "\(card.text)")
        #expect(card.text.contains("`eval assistant v12 --dataset smoke`"), "the card says what to type: \(card.text)")
        let firstApprove = try #require(card.reply.buttons.first { $0.kind == "approve" })
        try await chat.click("approve", value: firstApprove.value, as: "bob", thread: request.thread)
        _ = try await chat.waitFor("the refusal") { $0.contains { $0.author == "bot" && $0.text.contains("can't be approved yet") } }

        try await chat.say("eval assistant v12 --dataset smoke", as: "alice")
        _ = try await chat.waitFor("the promote verdict", seconds: 150) {
            $0.contains { $0.text.contains("eval of assistant v12 on smoke: 81% passed, promote") }
        }
        #expect(try await chat.messages().allSatisfy { !$0.text.contains("Deployed assistant v12 to prod") }, "nothing ran before the vote")

        // The click on the card as it was is not counted: the evidence changed, and the card with it.
        try await chat.click("approve", value: firstApprove.value, as: "bob", thread: request.thread)
        let refreshed = try await chat.waitFor("the refreshed card") {
            $0.contains { $0.id == card.id && $0.text.contains("promote") && $0.reply.buttons.contains { $0.value != firstApprove.value } }
        }
        let newApprove = try #require(refreshed.first { $0.id == card.id }?.reply.buttons.first { $0.kind == "approve" })
        try await chat.click("approve", value: newApprove.value, as: "bob", thread: request.thread)
        let done = try await chat.waitFor("the prod deploy") { $0.contains { $0.text.contains("Deployed assistant v12 to prod") } }
        #expect(done.filter { $0.text.contains("Deployed assistant v12 to prod") }.count == 1)
        #expect(await bot.terminate() == 0)
    }
}
