import ChatOpsCore
import Evaluation
import LLM
import Synchronization
import Testing

/// What a cancelled run keeps, with a target whose answers are under the test's control.
@Suite("Cancelling an eval run")
struct RunnerCancellationTests {
    /// Answers "ok" at once, except to `hang`, which it answers only when cancelled (by throwing).
    struct Target: ChatModel {
        let name = "target"
        func complete(_ request: ChatRequest) async throws -> ChatCompletion {
            if request.messages.last?.content == "hang" { try await Task.sleep(for: .seconds(600)) }
            return ChatCompletion(text: "ok", model: name, promptTokens: 3, completionTokens: 1)
        }
    }

    static func evalCase(_ id: String, _ input: String) -> EvalCase {
        EvalCase(id: id, messages: [ChatMessage(.user, input)], checks: [.exact("ok", ignoreCase: false)])
    }

    @Test func casesThatFinishedAreKeptInOrderAndTheOneCutOffIsLeftOutNotFailed() async throws {
        let cases = [Self.evalCase("a", "fast"), Self.evalCase("b", "hang"), Self.evalCase("c", "fast"), Self.evalCase("d", "fast")]
        let done = Mutex(0)
        let runner = EvalRunner(target: Target(), concurrency: 2)
        let task = Task { await runner.run(cases) { _ in done.withLock { $0 += 1 } } }
        // a, c and d finish beside b, which hangs.
        while done.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let run = await task.value
        #expect(run.cancelled)
        #expect(run.results.map(\.caseID) == ["a", "c", "d"], "b was cut off: left out, and the cases after it are kept")
        #expect(run.results.allSatisfy { $0.passed })
        #expect(run.promptTokens == 9)
    }
}
