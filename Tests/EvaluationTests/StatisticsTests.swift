import ChatOpsCore
import Evaluation
import Foundation
import Testing

@Suite("Paired statistics for two eval runs")
struct StatisticsTests {
    @Test func mcNemarsExactTestByHand() {
        // 10 flips all one way: 2 × (½)^10.
        #expect(abs(McNemar.pValue(regressions: 10, improvements: 0) - 2.0 / 1024) < 1e-12)
        // 6 against 1: 2 × P(X ≤ 1), X ~ Bin(7, ½) = 2 × (1 + 7) / 128.
        #expect(abs(McNemar.pValue(regressions: 6, improvements: 1) - 0.125) < 1e-12)
        // Even flips, or none: no evidence.
        #expect(McNemar.pValue(regressions: 5, improvements: 5) == 1)
        #expect(McNemar.pValue(regressions: 0, improvements: 0) == 1)
        // Symmetric in direction.
        #expect(McNemar.pValue(regressions: 2, improvements: 9) == McNemar.pValue(regressions: 9, improvements: 2))
        // Large counts stay finite (log space).
        let large = McNemar.pValue(regressions: 600, improvements: 400)
        #expect(large > 0 && large < 1e-9)
    }

    @Test func theBootstrapIntervalFollowsTheDifferenceAndIsTheSameEachTime() throws {
        let same = Array(repeating: (baseline: true, candidate: true), count: 30)
        #expect(PairedBootstrap.interval(same) == 0...0)
        let allBetter = Array(repeating: (baseline: false, candidate: true), count: 30)
        #expect(PairedBootstrap.interval(allBetter) == 1...1)
        // 40 cases: 6 regress, 2 improve (true difference −0.1).
        let mixed =
            Array(repeating: (baseline: true, candidate: false), count: 6) + Array(repeating: (baseline: false, candidate: true), count: 2)
            + Array(repeating: (baseline: true, candidate: true), count: 32)
        let interval = try #require(PairedBootstrap.interval(mixed))
        #expect(interval.contains(-0.1))
        #expect(interval.lowerBound < -0.15 && interval.upperBound > -0.05 && interval.upperBound <= 0.05)
        #expect(PairedBootstrap.interval(mixed) == interval, "seeded: the same interval every time")
        #expect(PairedBootstrap.interval([]) == nil)
    }

    @Test func runsArePairedByCaseIdOverallPerCheckAndPerSlice() {
        let baseline = [
            Results.result("a", slice: "math", ["number": true]), Results.result("b", slice: "math", ["number": true]),
            Results.result("c", slice: "chat", ["contains": false, "regex": true]), Results.result("gone", ["contains": true]),
        ]
        let candidate = [
            Results.result("a", slice: "math", ["number": false]), Results.result("b", slice: "math", ["number": true]),
            Results.result("c", slice: "chat", ["contains": true, "regex": false]), Results.result("new", ["contains": true]),
        ]
        let comparison = RunComparison(baseline: baseline, candidate: candidate)
        #expect(comparison.unpaired == 2)
        #expect(comparison.overall.paired == 3)
        #expect(comparison.overall.regressions == ["a"])
        #expect(comparison.overall.improvements.isEmpty, "c fails both times (a different check each time)")
        #expect(comparison.byCheck["regex"]?.regressions == ["c"])
        #expect(comparison.byCheck["contains"]?.improvements == ["c"])
        #expect(comparison.byCheck["number"]?.paired == 2)
        #expect(comparison.bySlice["math"]?.baselinePassRate == 1)
        #expect(comparison.bySlice["math"]?.candidatePassRate == 0.5)
        #expect(comparison.bySlice["chat"]?.paired == 1)
    }

    @Test func aCaseWithoutAnAnswerFailsEachOfItsChecks() {
        var failed = Results.result("x", ["contains": true])
        failed.error = "no answer within 30 s"
        #expect(!failed.passed)
        #expect(failed.passed(kind: "contains") == false)
        #expect(failed.passed(kind: "regex") == nil)
    }
}

/// Hand-made results: a case and whether each of its checks passed.
enum Results {
    static func result(_ id: String, slice: String? = nil, _ checks: KeyValuePairs<String, Bool>) -> CaseResult {
        CaseResult(caseID: id, slice: slice, checks: checks.map { CheckOutcome(kind: $0.key, verdict: $0.value ? .pass : .fail("no")) })
    }

    /// `count` cases named `prefix-N` whose one `contains` check passed as given in each run.
    static func pairs(_ prefix: String, _ count: Int, before: Bool, after: Bool) -> (baseline: [CaseResult], candidate: [CaseResult]) {
        let ids = (0..<count).map { "\(prefix)-\($0)" }
        return (ids.map { result($0, ["contains": before]) }, ids.map { result($0, ["contains": after]) })
    }
}
