import ChatOpsCore

/// A candidate run against its baseline on the same dataset: overall, per check kind and per slice,
/// paired by case id. Cases only one run has are counted apart, and so are pairs where either run got
/// no answer: an outage of the target is not evidence about the model.
public struct RunComparison: Sendable, Equatable {
    public var overall: PairedDelta
    public var byCheck: [String: PairedDelta]
    public var bySlice: [String: PairedDelta]
    /// Case ids in only one of the runs (the dataset changed between them).
    public var unpaired: Int
    /// Paired cases left out because either run got no answer for them.
    public var unanswered: Int

    public init(baseline: [CaseResult], candidate: [CaseResult]) {
        let before = Dictionary(baseline.map { ($0.caseID, $0) }, uniquingKeysWith: { first, _ in first })
        let paired = candidate.compactMap { result in before[result.caseID].map { (baseline: $0, candidate: result) } }
        unpaired = baseline.count + candidate.count - 2 * paired.count
        let matched = paired.filter { $0.baseline.error == nil && $0.candidate.error == nil }
        unanswered = paired.count - matched.count
        overall = PairedDelta(pairs: matched.map { ($0.candidate.caseID, $0.baseline.passed, $0.candidate.passed) })
        let kinds = Set(matched.flatMap { $0.candidate.checks.map(\.kind) })
        byCheck = Dictionary(
            uniqueKeysWithValues: kinds.map { kind in
                (
                    kind,
                    PairedDelta(
                        pairs: matched.compactMap { pair in
                            guard let was = pair.baseline.passed(kind: kind), let now = pair.candidate.passed(kind: kind) else { return nil }
                            return (pair.candidate.caseID, was, now)
                        })
                )
            })
        let slices = Set(matched.compactMap(\.candidate.slice))
        bySlice = Dictionary(
            uniqueKeysWithValues: slices.map { slice in
                (
                    slice,
                    PairedDelta(
                        pairs: matched.filter { $0.candidate.slice == slice }.map { ($0.candidate.caseID, $0.baseline.passed, $0.candidate.passed) })
                )
            })
    }
}
