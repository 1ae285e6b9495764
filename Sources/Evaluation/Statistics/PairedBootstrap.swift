import ChatOpsCore

/// A confidence interval for the difference in pass rate between two runs over the same cases, by
/// the paired bootstrap: the cases are drawn with replacement `resamples` times, keeping each case's
/// pair together, and the interval is the middle `confidence` of the differences. The generator is
/// seeded, so a report shows the same interval each time it is made.
public enum PairedBootstrap {
    /// - Parameters:
    ///   - pairs: per case, whether the baseline and the candidate passed it.
    /// - Returns: the interval of candidate − baseline pass rate, or nil with no cases.
    public static func interval(
        _ pairs: [(baseline: Bool, candidate: Bool)], confidence: Double = 0.95, resamples: Int = 2_000, seed: UInt64 = 0x5eed
    ) -> ClosedRange<Double>? {
        guard !pairs.isEmpty else { return nil }
        let deltas = pairs.map { Int($0.candidate ? 1 : 0) - Int($0.baseline ? 1 : 0) }
        var random = SeededGenerator(seed: seed)
        var differences: [Double] = []
        differences.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sum = 0
            for _ in deltas.indices { sum += deltas[Int(random.next() % UInt64(deltas.count))] }
            differences.append(Double(sum) / Double(deltas.count))
        }
        differences.sort()
        // As many resampled differences fall below the interval as above it (49 and 49 of 2,000).
        let outside = Int((Double(resamples) * (1 - confidence) / 2).rounded(.down))
        let low = differences[max(0, outside - 1)]
        let high = differences[min(resamples - 1, resamples - outside)]
        return low...high
    }
}
