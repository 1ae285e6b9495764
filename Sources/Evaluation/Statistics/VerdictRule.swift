import ChatOpsCore

/// What an evaluation says about promoting its candidate.
public enum Verdict: String, Sendable, Codable, Equatable {
    /// Not worse than the baseline beyond the margin, on enough cases (or good enough, without one).
    case promote
    /// Not enough evidence either way.
    case hold
    /// A significant regression.
    case reject
}

/// The rule that turns results into a verdict; the reply states which part of it decided.
///
/// First, in either case: **hold** when more than `maxErrorShare` of the candidate's cases got no
/// answer (the target failed, not the model). Then, against a baseline, in this order (pairs where
/// either run got no answer are left out):
/// 1. **reject** when the candidate fails significantly more of the paired cases, overall or for any
///    check kind: more pass → fail flips than fail → pass, with McNemar's exact p < `alpha`;
/// 2. **hold** with fewer than `minimumCases` paired cases;
/// 3. **promote** when the paired bootstrap's 95% interval of the difference stays above
///    −`margin` (the candidate is at most `margin` worse, with 95% confidence);
/// 4. **hold** otherwise.
///
/// Without a baseline (the model's first run on the dataset): **promote** when at least
/// `minimumCases` cases ran and the pass rate is at least `minimumPassRate`; **hold** otherwise.
public struct VerdictRule: Sendable, Equatable {
    public var alpha = 0.05
    public var margin = 0.02
    public var minimumCases = 20
    public var minimumPassRate = 0.8
    public var maxErrorShare = 0.1

    public init(alpha: Double = 0.05, margin: Double = 0.02, minimumCases: Int = 20, minimumPassRate: Double = 0.8, maxErrorShare: Double = 0.1) {
        self.alpha = alpha
        self.margin = margin
        self.minimumCases = minimumCases
        self.minimumPassRate = minimumPassRate
        self.maxErrorShare = maxErrorShare
    }

    /// The verdict on a candidate run, and the sentence that says why.
    public func decide(candidate: [CaseResult], against comparison: RunComparison?) -> (verdict: Verdict, reason: String) {
        let unanswered = candidate.filter { $0.error != nil }.count
        if !candidate.isEmpty, Double(unanswered) / Double(candidate.count) > maxErrorShare {
            return (
                .hold,
                "hold: \(unanswered) of \(candidate.count) cases got no answer, more than \(percent(maxErrorShare)): the target failed, not the model"
            )
        }
        guard let comparison else { return decideAlone(candidate) }
        let overall = comparison.overall
        let groups = [("overall", overall)] + comparison.byCheck.sorted { $0.key < $1.key }.map { ("`\($0.key)` checks", $0.value) }
        if let (name, delta) = groups.first(where: { isSignificantRegression($0.1) }) {
            return (
                .reject,
                "reject: \(name) \(delta.regressions.count) cases went pass → fail and \(delta.improvements.count) fail → pass "
                    + "(\(percent(delta.baselinePassRate)) → \(percent(delta.candidatePassRate))); McNemar's exact p = \(decimal(delta.pValue)) < \(decimal(alpha))"
            )
        }
        guard overall.paired >= minimumCases else {
            return (.hold, "hold: \(overall.paired) paired cases, fewer than the \(minimumCases) a verdict needs")
        }
        guard let interval = overall.interval else { return (.hold, "hold: no paired cases") }
        let range = "the 95% interval of the difference is [\(signed(interval.lowerBound)), \(signed(interval.upperBound))]"
        if interval.lowerBound >= -margin {
            return (.promote, "promote: \(range), above −\(percent(margin)) (no significant regression)")
        }
        return (.hold, "hold: \(range), which reaches below −\(percent(margin)); not a significant regression (p = \(decimal(overall.pValue)))")
    }

    private func decideAlone(_ results: [CaseResult]) -> (verdict: Verdict, reason: String) {
        let rate = results.isEmpty ? 0 : Double(results.filter(\.passed).count) / Double(results.count)
        guard results.count >= minimumCases else {
            return (.hold, "hold: no baseline, and \(results.count) cases are fewer than the \(minimumCases) a verdict needs")
        }
        if rate >= minimumPassRate { return (.promote, "promote: no baseline; pass rate \(percent(rate)) ≥ \(percent(minimumPassRate))") }
        return (.hold, "hold: no baseline; pass rate \(percent(rate)) < \(percent(minimumPassRate))")
    }

    private func isSignificantRegression(_ delta: PairedDelta) -> Bool {
        delta.regressions.count > delta.improvements.count && delta.pValue < alpha
    }
}

func percent(_ rate: Double) -> String { "\(Int((rate * 100).rounded()))%" }
func signed(_ rate: Double) -> String { (rate >= 0 ? "+" : "−") + "\(decimal(abs(rate) * 100, places: 1)) pp" }
func decimal(_ value: Double, places: Int = 3) -> String {
    let scale = pow10(places)
    return String(Double((value * scale).rounded()) / scale)
}
private func pow10(_ places: Int) -> Double { (0..<places).reduce(1.0) { value, _ in value * 10 } }
