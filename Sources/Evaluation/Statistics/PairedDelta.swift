/// Two runs compared on the cases both have, for one group of cases (all, a check kind or a slice).
public struct PairedDelta: Sendable, Equatable {
    /// Cases in both runs.
    public var paired: Int
    public var baselinePassRate: Double
    public var candidatePassRate: Double
    /// Cases that passed in the baseline and fail in the candidate, by id, in dataset order.
    public var regressions: [String]
    /// Cases that failed in the baseline and pass in the candidate.
    public var improvements: [String]
    /// McNemar's exact p-value for the flips.
    public var pValue: Double
    /// The paired bootstrap's 95% interval of candidate − baseline (nil without cases).
    public var interval: ClosedRange<Double>?

    /// Candidate − baseline pass rate.
    public var difference: Double { candidatePassRate - baselinePassRate }

    /// - Parameter pairs: per case id, the baseline's and the candidate's pass.
    public init(pairs: [(id: String, baseline: Bool, candidate: Bool)]) {
        paired = pairs.count
        let rate = { (passes: Int) in pairs.isEmpty ? 0 : Double(passes) / Double(pairs.count) }
        baselinePassRate = rate(pairs.filter(\.baseline).count)
        candidatePassRate = rate(pairs.filter(\.candidate).count)
        regressions = pairs.filter { $0.baseline && !$0.candidate }.map(\.id)
        improvements = pairs.filter { !$0.baseline && $0.candidate }.map(\.id)
        pValue = McNemar.pValue(regressions: regressions.count, improvements: improvements.count)
        interval = PairedBootstrap.interval(pairs.map { ($0.baseline, $0.candidate) })
    }
}
