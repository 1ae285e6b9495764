import ChatOpsCore
import Evaluation
import Testing

@Suite("The promotion verdict")
struct VerdictRuleTests {
    let rule = VerdictRule()

    func decide(_ groups: [(baseline: [CaseResult], candidate: [CaseResult])]) -> (verdict: Verdict, reason: String) {
        let baseline = groups.flatMap(\.baseline)
        let candidate = groups.flatMap(\.candidate)
        return rule.decide(candidate: candidate, against: RunComparison(baseline: baseline, candidate: candidate))
    }

    @Test func aSignificantRegressionIsRejectedAndTheTestIsNamed() {
        // 10 pass → fail, none the other way: p = 0.002.
        let (verdict, reason) = decide([Results.pairs("r", 10, before: true, after: false), Results.pairs("s", 30, before: true, after: true)])
        #expect(verdict == .reject)
        #expect(reason.contains("10 cases went pass → fail and 0 fail → pass"))
        #expect(reason.contains("McNemar's exact p = 0.002 < 0.05"))
    }

    @Test func aDifferenceThatIsNotSignificantIsHeldNotRejected() {
        // 3 pass → fail and 1 fail → pass: p = 0.625, and the interval reaches well below −2 pp.
        let (verdict, reason) = decide([
            Results.pairs("r", 3, before: true, after: false), Results.pairs("i", 1, before: false, after: true),
            Results.pairs("s", 36, before: true, after: true),
        ])
        #expect(verdict == .hold)
        #expect(reason.contains("not a significant regression (p = 0.625)"))
    }

    @Test func noWorseOnEnoughCasesIsPromoted() {
        let (verdict, reason) = decide([Results.pairs("s", 30, before: true, after: true), Results.pairs("i", 4, before: false, after: true)])
        #expect(verdict == .promote)
        #expect(reason.hasPrefix("promote: the 95% interval of the difference is [+"))
    }

    @Test func tooFewCasesAreHeldWhateverTheyShow() {
        let (verdict, reason) = decide([Results.pairs("s", 12, before: false, after: true)])
        #expect(verdict == .hold)
        #expect(reason == "hold: 12 paired cases, fewer than the 20 a verdict needs")
    }

    @Test func aRegressionInOneCheckKindIsRejectedEvenWhenTheOverallPassRateHolds() {
        // Each case fails overall both times, on `contains` before and on `regex` after: no overall flip.
        let ids = (0..<9).map { "k-\($0)" }
        let baseline =
            ids.map { Results.result($0, ["contains": false, "regex": true]) } + Results.pairs("s", 30, before: true, after: true).baseline
        let candidate =
            ids.map { Results.result($0, ["contains": true, "regex": false]) } + Results.pairs("s", 30, before: true, after: true).candidate
        let comparison = RunComparison(baseline: baseline, candidate: candidate)
        #expect(comparison.overall.regressions.isEmpty)
        let (verdict, reason) = rule.decide(candidate: candidate, against: comparison)
        #expect(verdict == .reject)
        #expect(reason.hasPrefix("reject: `regex` checks 9 cases went pass → fail"))
    }

    @Test func aTargetThatDidNotAnswerIsHeldAndItsCasesAreNotComparedAsFailures() {
        var (baseline, candidate) = Results.pairs("s", 30, before: true, after: true)
        for index in 0..<4 { candidate[index].error = "no answer: timeout" }
        let comparison = RunComparison(baseline: baseline, candidate: candidate)
        #expect(comparison.overall.paired == 26 && comparison.unanswered == 4)
        #expect(comparison.overall.regressions.isEmpty, "an outage is not a regression")
        let (verdict, reason) = rule.decide(candidate: candidate, against: comparison)
        #expect(verdict == .hold)
        #expect(reason == "hold: 4 of 30 cases got no answer, more than 10%: the target failed, not the model")
        candidate[3].error = nil
        #expect(rule.decide(candidate: candidate, against: RunComparison(baseline: baseline, candidate: candidate)).verdict == .promote)
    }

    @Test func withoutABaselineThePassRateDecides() {
        let good = Results.pairs("g", 17, before: true, after: true).candidate + Results.pairs("b", 3, before: false, after: false).candidate
        #expect(rule.decide(candidate: good, against: nil) == (.promote, "promote: no baseline; pass rate 85% ≥ 80%"))
        let weak = Results.pairs("g", 15, before: true, after: true).candidate + Results.pairs("b", 5, before: false, after: false).candidate
        #expect(rule.decide(candidate: weak, against: nil) == (.hold, "hold: no baseline; pass rate 75% < 80%"))
        #expect(rule.decide(candidate: Array(good.prefix(5)), against: nil).verdict == .hold)
    }
}
