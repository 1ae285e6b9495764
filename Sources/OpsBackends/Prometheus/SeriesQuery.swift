import ChatOpsCore
import Foundation

/// One line of a `metrics` action's `series`: `name | unit | PromQL`, such as
/// `p95 latency | ms | 1000 * histogram_quantile(0.95, sum by (le) (rate(…_bucket{model="fraud"}[5m])))`.
public struct SeriesQuery: Sendable, Equatable {
    public var name: String
    public var unit: String
    public var promql: String

    /// - Returns: the queries of a rendered `series` parameter; blank lines and `#` comments are skipped.
    public static func parse(_ text: String) throws(BackendError) -> [SeriesQuery] {
        var queries: [SeriesQuery] = []
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) where !line.isEmpty && !line.hasPrefix("#") {
            let parts = line.split(separator: "|", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, !parts[0].isEmpty, !parts[2].isEmpty else {
                throw BackendError("each line of `series` is `name | unit | PromQL`, not `\(line)`")
            }
            queries.append(SeriesQuery(name: parts[0], unit: parts[1], promql: parts[2]))
        }
        guard !queries.isEmpty else { throw BackendError("`series` names no query") }
        return queries
    }
}
