import ChatOpsCore

/// A run's results in aggregate: pass rates overall, per check kind and per slice, latency
/// percentiles and errors.
public struct RunSummary: Sendable, Equatable {
    /// Passed and total cases of a group.
    public struct Rate: Sendable, Equatable {
        public var passed: Int
        public var total: Int
        public var value: Double { total == 0 ? 0 : Double(passed) / Double(total) }

        public init(passed: Int, total: Int) {
            self.passed = passed
            self.total = total
        }
    }

    public var overall: Rate
    public var byCheck: [String: Rate]
    public var bySlice: [String: Rate]
    /// Cases the target did not answer, and checks that could not be judged.
    public var errors: Int
    /// Latency percentiles in milliseconds (p50, p95, p99) of the answered cases; nil without any.
    public var latency: (p50: Double, p95: Double, p99: Double)?

    public init(_ results: [CaseResult]) {
        overall = Rate(passed: results.filter(\.passed).count, total: results.count)
        var checks: [String: Rate] = [:]
        for result in results {
            for kind in Set(result.checks.map(\.kind)) {
                checks[kind, default: Rate(passed: 0, total: 0)].total += 1
                if result.passed(kind: kind) == true { checks[kind]!.passed += 1 }
            }
        }
        byCheck = checks
        bySlice = Dictionary(grouping: results.filter { $0.slice != nil }, by: { $0.slice! }).mapValues {
            Rate(passed: $0.filter(\.passed).count, total: $0.count)
        }
        errors =
            results.filter { $0.error != nil }.count
            + results.filter { $0.error == nil }.flatMap(\.checks).filter {
                if case .error = $0.verdict { return true }
                return false
            }.count
        let latencies = results.compactMap(\.latencyMilliseconds).sorted()
        latency = latencies.isEmpty ? nil : (Self.percentile(latencies, 0.50), Self.percentile(latencies, 0.95), Self.percentile(latencies, 0.99))
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        sorted[max(0, min(sorted.count - 1, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))]
    }

    public static func == (left: RunSummary, right: RunSummary) -> Bool {
        left.overall == right.overall && left.byCheck == right.byCheck && left.bySlice == right.bySlice && left.errors == right.errors
            && left.latency?.p50 == right.latency?.p50 && left.latency?.p95 == right.latency?.p95 && left.latency?.p99 == right.latency?.p99
    }
}
