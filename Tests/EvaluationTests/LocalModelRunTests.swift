import ChatOpsCore
import Evaluation
import Foundation
import LLM
import Logging
import Synchronization
import Testing

/// The runner against the real local model (`scripts/test` starts it), on `Tests/Fixtures/evals/smoke.jsonl`.
/// Which cases pass was derived from the model's own answers by `derive-expected.py` beside the
/// dataset (an independent implementation of the checks) and kept in `smoke.expected.json`.
@Suite("Eval runs against the local model")
struct LocalModelRunTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/evals")

    struct Expected: Decodable {
        var id: String
        var answer: String
        var passed: Bool
    }

    static func model(url: String? = ProcessInfo.processInfo.environment["CHATOPS_LLM_URL"]) throws -> OpenAICompatibleModel {
        guard let url else {
            throw ChatModelError(description: "CHATOPS_LLM_URL is not set: run the tests with scripts/test, which starts the local model server")
        }
        return OpenAICompatibleModel(settings: .init(baseURL: url, model: "smollm2", timeout: .seconds(120)), logger: Logger(label: "eval-test"))
    }

    static func dataset() throws -> [EvalCase] {
        let (cases, problems) = DatasetReader.read(try String(contentsOf: folder.appendingPathComponent("smoke.jsonl"), encoding: .utf8))
        #expect(problems.isEmpty)
        return cases
    }

    @Test func eachCasePassesOrFailsAsTheModelsRecordedAnswersSay() async throws {
        let expected = try JSONDecoder().decode([Expected].self, from: Data(contentsOf: Self.folder.appendingPathComponent("smoke.expected.json")))
        let cases = try Self.dataset()
        let seen = Mutex<[EvalProgress]>([])
        let run = await EvalRunner(target: try Self.model(), concurrency: 2).run(cases) { progress in seen.withLock { $0.append(progress) } }
        #expect(!run.cancelled)
        #expect(run.results.map(\.caseID) == expected.map(\.id), "results come back in dataset order")
        for (result, recorded) in zip(run.results, expected) {
            #expect(result.error == nil, "\(result.caseID): \(result.error ?? "")")
            #expect(
                result.passed == recorded.passed, "\(result.caseID): \(result.checks) for the recorded answer \(recorded.answer.debugDescription)")
        }
        let summary = RunSummary(run.results)
        #expect(summary.overall == .init(passed: 13, total: 16))
        #expect(summary.bySlice["math"] == .init(passed: 4, total: 5))
        #expect(summary.bySlice["format"] == .init(passed: 3, total: 5))
        #expect(summary.byCheck["number"] == .init(passed: 3, total: 4))
        #expect(summary.errors == 0)
        #expect(summary.latency.map { $0.p50 > 0 && $0.p50 <= $0.p95 && $0.p95 <= $0.p99 } == true)
        #expect(run.promptTokens > 0 && run.completionTokens > 0)
        let progress = seen.withLock { $0 }
        #expect(progress.map(\.done) == Array(1...16))
        #expect(progress.last == EvalProgress(done: 16, passed: 13, total: 16))
    }

    @Test func aCancelledRunStopsAndKeepsWhatRan() async throws {
        let cases = try Self.dataset()
        let started = Mutex(0)
        let runner = EvalRunner(target: try Self.model(), concurrency: 1)
        let task = Task { await runner.run(cases) { _ in started.withLock { $0 += 1 } } }
        while started.withLock({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        let run = await task.value
        #expect(run.cancelled)
        #expect(run.results.count >= 2 && run.results.count < cases.count)
        #expect(run.results.map(\.caseID) == Array(cases.map(\.id).prefix(run.results.count)), "a prefix, in order")
        #expect(run.results.allSatisfy { $0.error == nil }, "the case cut off by the cancellation is left out, not failed")
    }

    @Test func aTargetThatCannotBeReachedGivesErrorsNeverPasses() async throws {
        let closed = try Self.model(url: "http://127.0.0.1:9/v1")
        let cases = Array(try Self.dataset().prefix(3))
        let run = await EvalRunner(target: closed, caseTimeout: .seconds(20)).run(cases)
        #expect(run.results.count == 3)
        #expect(run.results.allSatisfy { !$0.passed && $0.error?.hasPrefix("no answer") == true })
        #expect(run.results.allSatisfy { $0.checks.allSatisfy { if case .error = $0.verdict { true } else { false } } })
        #expect(RunSummary(run.results).errors == 3)
    }

    @Test func aJudgeThatFailsIsAnErrorAndTheCaseDoesNotPass() async throws {
        let judged = EvalCase(id: "judged", messages: [ChatMessage(.user, "Say hi.")], checks: [.judge(rubric: "The answer greets the user.")])
        let noJudge = await EvalRunner(target: try Self.model()).run([judged])
        #expect(noJudge.results.first?.checks.first?.verdict == .error("no judge model is configured"))
        #expect(noJudge.results.first?.passed == false)
        let unreachable = await EvalRunner(target: try Self.model(), judge: try Self.model(url: "http://127.0.0.1:9/v1"), caseTimeout: .seconds(20))
            .run([judged])
        guard case .error(let reason)? = unreachable.results.first?.checks.first?.verdict else {
            Issue.record("the unreachable judge's verdict is \(String(describing: unreachable.results.first?.checks))")
            return
        }
        #expect(reason.hasPrefix("the judge failed"))
    }
}
