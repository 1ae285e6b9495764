import Foundation

/// McNemar's exact test on paired pass/fail results: of the cases whose outcome differs between two
/// runs, are the flips one way (pass → fail) more than chance would give? Under no difference each
/// discordant case is a fair coin, so the smaller count is binomial with p = ½.
public enum McNemar {
    /// The two-sided exact p-value for `regressions` cases that went pass → fail and `improvements`
    /// that went fail → pass (1 when nothing flipped).
    public static func pValue(regressions: Int, improvements: Int) -> Double {
        let discordant = regressions + improvements
        guard discordant > 0 else { return 1 }
        let smaller = min(regressions, improvements)
        let tail = (0...smaller).reduce(0.0) { $0 + exp(logBinomial(discordant, $1) - Double(discordant) * log(2.0)) }
        return min(1, 2 * tail)
    }

    /// log C(n, k).
    static func logBinomial(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
