import Evaluation

/// `verdict:` of an `eval` backend: the rule's thresholds (see `VerdictRule`), each optional.
///
/// ```yaml
/// evals: {type: eval, datasets: evals, verdict: {min_cases: 50, min_pass_rate: 0.9, margin: 0.01, alpha: 0.05, max_error_share: 0.1}}
/// ```
struct VerdictSection: Decodable, Sendable {
    var alpha: Double?
    var margin: Double?
    var minimumCases: Int?
    var minimumPassRate: Double?
    var maxErrorShare: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case alpha, margin
        case minimumCases = "min_cases", minimumPassRate = "min_pass_rate", maxErrorShare = "max_error_share"
    }

    var rule: VerdictRule {
        let defaults = VerdictRule()
        return VerdictRule(
            alpha: alpha ?? defaults.alpha, margin: margin ?? defaults.margin, minimumCases: minimumCases ?? defaults.minimumCases,
            minimumPassRate: minimumPassRate ?? defaults.minimumPassRate, maxErrorShare: maxErrorShare ?? defaults.maxErrorShare)
    }

    /// Thresholds outside their range, by key.
    func problems(_ prefix: String) -> [String] {
        var problems: [String] = []
        for (key, value) in [("alpha", alpha), ("margin", margin), ("min_pass_rate", minimumPassRate), ("max_error_share", maxErrorShare)] {
            if let value, !(0...1).contains(value) { problems.append("\(prefix).\(key) must be between 0 and 1") }
        }
        if let minimumCases, minimumCases < 1 { problems.append("\(prefix).min_cases must be at least 1") }
        return problems
    }
}
