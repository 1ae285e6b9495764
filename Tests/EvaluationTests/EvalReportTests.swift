import ChatOpsCore
import ChatOpsStore
import Evaluation
import Foundation
import Logging
import OpsBackends
import Testing

/// The report of kept runs against a baseline: a significant regression, no change, and a run whose
/// target failed on some cases (the table's columns count the same paired cases).
@Suite("The eval report")
struct EvalReportTests {
    @Test func theTableComparesPairedCasesAndTheRuleSaysWhy() async throws {
        try await EvalBackendTests.withSQLite { store in
            let ann = Principal(platform: "slack", userID: "U1", displayName: "ann")
            func cases(_ failing: Set<Int>, errors: Set<Int> = []) -> [CaseResult] {
                (0..<24).map { i in
                    let slice = i < 8 ? "refunds" : (i < 16 ? "billing" : "smalltalk")
                    let kind = i % 2 == 0 ? "contains" : "judge"
                    if errors.contains(i) {
                        return CaseResult(
                            caseID: "case-\(i)", slice: slice, checks: [CheckOutcome(kind: kind, verdict: .error("no answer: timeout"))],
                            error: "no answer: timeout")
                    }
                    return CaseResult(
                        caseID: "case-\(i)", slice: slice,
                        checks: [CheckOutcome(kind: kind, verdict: failing.contains(i) ? .fail("missing `refund policy`") : .pass)],
                        latencyMilliseconds: Double(300 + i * 10))
                }
            }
            let rule = VerdictRule()
            let base = StoredEvalRun(
                id: "run-v11", model: "support-bot", version: "v11", dataset: "holdout", requestedBy: ann,
                startedAt: Date(timeIntervalSince1970: 1_795_000_000), finishedAt: Date(timeIntervalSince1970: 1_795_000_300), verdict: "promote",
                reason: "promote", cases: cases([20, 21]))
            try await store.recordEvalRun(base)
            var out: [String: Outcome] = [:]
            for (id, version, results) in [
                ("run-v12", "v12", cases([0, 1, 2, 3, 4, 5, 6, 20, 21])), ("run-v13", "v13", cases([20, 21])),
                ("run-v14", "v14", cases([20], errors: [1, 3, 5, 7, 9])),
            ] {
                let comparison = RunComparison(baseline: base.cases, candidate: results)
                let decision = rule.decide(candidate: results, against: comparison)
                try await store.recordEvalRun(
                    StoredEvalRun(
                        id: id, model: "support-bot", version: version, dataset: "holdout", requestedBy: ann,
                        startedAt: Date(timeIntervalSince1970: 1_795_100_000), finishedAt: Date(timeIntervalSince1970: 1_795_100_240),
                        verdict: decision.verdict.rawValue, reason: decision.reason, baselineRunID: "run-v11", cases: results, promptTokens: 4_210,
                        completionTokens: 1_830, target: "`support-bot` of llm.models"))
                let settings = EvalSettings(datasets: .folder(URL(fileURLWithPath: "/tmp")), targets: EvalTargets(models: [:]))
                var outcome = try await EvalBackend(name: "evals", settings: settings, records: store, logger: Logger(label: "x")).execute(
                    Action(
                        backend: "evals", operation: "eval", parameters: ["model": "support-bot", "dataset": "holdout"],
                        invocation: Invocation(command: "eval", arguments: [:])),
                    context: ExecutionContext(executionID: id, requester: ann))
                outcome.attachment = nil
                out[version] = outcome
            }
            let reject = try #require(out["v12"])
            #expect(reject.headline == "eval of support-bot v12 on holdout: 63% passed, reject")
            #expect(reject.facts.contains(Fact("pass → fail", "case-0, case-1, case-2, case-3, case-4, case-5, case-6")))
            #expect(reject.table.contains(["slice: refunds", "100%", "13% (1/8)", "−87.5 pp", "0.016"]))
            #expect(out["v13"]?.table.contains(["all cases", "92%", "92% (22/24)", "+0.0 pp", "1.0"]) == true)
            let hold = try #require(out["v14"])
            #expect(
                hold.facts.first { $0.name == "rule" }?.value == "hold: 5 of 24 cases got no answer, more than 10%: the target failed, not the model")
            #expect(hold.facts.contains(Fact("cases", "18/24 passed (75%)")))
            #expect(
                hold.table.contains(["all cases, 19 of 24 paired", "89%", "95% (18/19)", "+5.3 pp", "1.0"]),
                "both columns over the 19 paired cases: \(hold.table)")
            if let path = ProcessInfo.processInfo.environment["CHATOPS_DUMP_EVAL_OUTCOMES"] {
                // How Tests/Corpus/outcomes.json got its `evals/…` entries.
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                try encoder.encode(out).write(to: URL(fileURLWithPath: path))
            }
        }
    }
}
