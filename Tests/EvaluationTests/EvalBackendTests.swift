import ChatOpsCore
import ChatOpsStore
import Evaluation
import Foundation
import LLM
import Logging
import OpsBackends
import Synchronization
import Testing

/// The `eval` backend end to end below the chat: the local model, the smoke dataset, a real SQLite store.
@Suite("The eval backend")
struct EvalBackendTests {
    static let ann = Principal(platform: "slack", userID: "U1")

    static func backend(records: any EvalRecords, cancellationPoll: Duration = .seconds(1)) throws -> EvalBackend {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_LLM_URL"] else {
            throw BackendError("CHATOPS_LLM_URL is not set: run the tests with scripts/test, which starts the local model server")
        }
        var settings = EvalSettings(
            datasets: .folder(LocalModelRunTests.folder),
            targets: EvalTargets(models: ["assistant": .init(baseURL: url, model: "smollm2", timeout: .seconds(120))]),
            concurrency: 2, rule: VerdictRule(minimumCases: 10))
        settings.cancellationPoll = cancellationPoll
        return EvalBackend(name: "evals", settings: settings, records: records, logger: Logger(label: "eval-test"))
    }

    static func action(_ parameters: [String: String]) -> Action {
        Action(backend: "evals", operation: "eval", parameters: parameters, invocation: Invocation(command: "eval", arguments: [:]))
    }

    static func withSQLite(_ body: (SQLiteStore) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eval-backend-\(RandomID.make())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(try SQLiteStore(path: folder.appendingPathComponent("bot.sqlite").path))
    }

    @Test func aFirstRunIsJudgedAloneAndTheNextVersionAgainstTheChampion() async throws {
        try await Self.withSQLite { store in
            let backend = try Self.backend(records: store)
            let progress = Mutex<[String]>([])
            let context = ExecutionContext(executionID: "run-v1", requester: Self.ann) { line in progress.withLock { $0.append(line) } }
            let first = try await backend.execute(Self.action(["model": "assistant", "version": "v1", "dataset": "smoke"]), context: context)
            #expect(first.headline == "eval of assistant v1 on smoke: 81% passed, promote")
            #expect(first.facts.first { $0.name == "rule" }?.value == "promote: no baseline; pass rate 81% ≥ 80%")
            #expect(first.facts.first { $0.name == "baseline" }?.value == "none")
            #expect(first.table.first == ["group", "baseline", "candidate", "change", "p"])
            #expect(first.table.contains(["all cases", "–", "81% (13/16)", "–", "–"]))
            #expect((1..<16).contains(progress.withLock { $0.count }), "paced: at most one every 3 s, and the last")
            #expect(progress.withLock { $0.last } == "eval assistant v1: 16/16 cases, 81% passing. To stop it: `eval cancel run-v1`")
            let kept = try #require(try await store.evalRun(id: "run-v1"))
            #expect(kept.cases.count == 16 && kept.verdict == "promote" && kept.requestedBy == Self.ann)
            let report = try #require(first.attachment)
            #expect(report.name == "eval-run-v1-cases.jsonl")
            let lines = report.text.split(separator: "\n")
            #expect(lines.count == 16 && lines.prefix(3).allSatisfy { $0.contains("\"passed\":false") }, "the failures first")

            // The same model answers again under another version: the champion is v1, nothing changed.
            let second = try await backend.execute(
                Self.action(["model": "assistant", "version": "v2", "dataset": "smoke"]),
                context: ExecutionContext(executionID: "run-v2", requester: Self.ann))
            #expect(second.facts.first { $0.name == "baseline" }?.value == "assistant v1, run run-v1")
            #expect(second.table.contains(["all cases", "81%", "81% (13/16)", "+0.0 pp", "1.0"]))
            #expect(
                second.facts.first { $0.name == "rule" }?.value.hasPrefix("promote: the 95% interval of the difference is [+0.0 pp, +0.0 pp]") == true
            )
            #expect(try await store.evalRun(id: "run-v2")?.baselineRunID == "run-v1")
            #expect(try await store.evalRun(id: "run-v2")?.changes == "81% → 81% (+0.0 pp) against v1 on 16 paired cases; 0 pass → fail")
            #expect(try await store.evalRun(id: "run-v1")?.changes == nil, "no baseline, no change")
            #expect(first.changeKey == "eval:promote" && second.changeKey == "eval:promote", "a quiet nightly eval would not post the second")
        }
    }

    @Test func aRetriedJobReportsTheKeptRunWithoutRunningAgain() async throws {
        try await Self.withSQLite { store in
            let backend = try Self.backend(records: store)
            let action = Self.action(["model": "assistant", "version": "v1", "dataset": "smoke"])
            let first = try await backend.execute(action, context: ExecutionContext(executionID: "job-7", requester: Self.ann))
            let asked = Mutex(0)
            let again = try await backend.execute(
                action, context: ExecutionContext(executionID: "job-7", requester: Self.ann) { _ in asked.withLock { $0 += 1 } })
            #expect(again == first)
            #expect(asked.withLock { $0 } == 0, "no case ran a second time")
        }
    }

    @Test func evalCancelStopsARunningEvalWhichKeepsWhatItFinishedAndIsNotRunAgain() async throws {
        try await Self.withSQLite { store in
            let backend = try Self.backend(records: store, cancellationPoll: .milliseconds(100))
            let bob = Principal(platform: "slack", userID: "U2", displayName: "bob")
            let started = AsyncStream<Void>.makeStream()
            let action = Self.action(["model": "assistant", "version": "v1", "dataset": "smoke"])
            let running = Task {
                try await backend.execute(
                    action, context: ExecutionContext(executionID: "job-9", requester: Self.ann) { _ in started.continuation.yield() })
            }
            for await _ in started.stream { break }  // a case has finished
            let cancel = Action(
                backend: "evals", operation: "cancel", parameters: ["run": "job-9"], invocation: Invocation(command: "eval-cancel", arguments: [:]))
            let asked = try await backend.execute(cancel, context: ExecutionContext(executionID: "job-10", requester: bob))
            #expect(asked.status == .succeeded && asked.headline.hasPrefix("asked eval run `job-9` to stop"))

            let stopped = try await running.value
            let kept = try #require(try await store.evalRun(id: "job-9"))
            #expect(kept.cancelled && kept.verdict == nil)
            #expect((1..<16).contains(kept.cases.count), "stopped part way, the finished cases kept: \(kept.cases.count)")
            #expect(kept.reason == "cancelled by bob after \(kept.cases.count) of 16 cases")
            #expect(stopped.status == .failed && stopped.facts.first { $0.name == "rule" }?.value == kept.reason)

            // The job run again (a lost lease) does not start the eval over: it was cancelled.
            let progress = Mutex(0)
            let again = try await backend.execute(
                action, context: ExecutionContext(executionID: "job-9", requester: Self.ann) { _ in progress.withLock { $0 += 1 } })
            #expect(again == stopped && progress.withLock { $0 } == 0)
            // Cancelling a finished run changes nothing.
            let late = try await backend.execute(cancel, context: ExecutionContext(executionID: "job-11", requester: bob))
            #expect(late.status == .failed && late.headline == "eval run `job-9` already finished (cancelled); there is nothing to stop")
            // Cancelled before it started: nothing runs.
            try await store.requestEvalCancellation(EvalCancellation(runID: "job-12", requestedBy: bob, requestedAt: Date()))
            let never = try await backend.execute(action, context: ExecutionContext(executionID: "job-12", requester: Self.ann))
            #expect(never.headline == "eval run `job-12` was cancelled by bob before it started")
            #expect(try await store.evalRun(id: "job-12") == nil)
        }
    }

    @Test func unknownTargetsDatasetsAndBaselinesAreClearErrors() async throws {
        try await Self.withSQLite { store in
            let backend = try Self.backend(records: store)
            let context = ExecutionContext(executionID: "x", requester: Self.ann)
            await #expect(throws: BackendError("no eval target `fraud`: looked in llm.models (assistant)")) {
                _ = try await backend.execute(Self.action(["model": "fraud", "dataset": "smoke"]), context: context)
            }
            await #expect(throws: BackendError("no dataset `holdout` (known: smoke)")) {
                _ = try await backend.execute(Self.action(["model": "assistant", "dataset": "holdout"]), context: context)
            }
            await #expect(throws: BackendError("`../smoke` is not a dataset name (letters, digits, `-` and `_`)")) {
                _ = try await backend.execute(Self.action(["model": "assistant", "dataset": "../smoke"]), context: context)
            }
            try await store.recordEvalRun(
                StoredEvalRun(
                    id: "elsewhere", model: "assistant", version: "v0", dataset: "nightly", requestedBy: Self.ann, startedAt: Date(),
                    finishedAt: Date(), cases: []))
            await #expect(throws: BackendError("eval run `elsewhere` cannot be the baseline: it ran on `nightly`, not `smoke`")) {
                _ = try await backend.execute(Self.action(["model": "assistant", "dataset": "smoke", "against": "elsewhere"]), context: context)
            }
            await #expect(throws: BackendError("no eval run `nope` to compare with")) {
                _ = try await backend.execute(Self.action(["model": "assistant", "dataset": "smoke", "against": "nope"]), context: context)
            }
        }
    }
}
