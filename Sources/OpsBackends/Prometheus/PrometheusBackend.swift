import ChatOpsCore
import Foundation

/// Metrics from Prometheus.
///
/// - `metrics`: `series` lists `name | unit | PromQL` lines (templates, so one command serves every
///   model); `window` is the period in seconds (a duration argument renders as seconds, default one
///   hour); `change_percent` (default 20) is how far the mean may move against the previous period
///   before it is flagged. Each series becomes a sparkline with its last value, and a series with
///   no data is named as such (GPU utilisation on CPU-only models, say).
/// - `query`: one instant `query`, reported as a table of label sets and values.
public struct PrometheusBackend: Backend {
    public let name: String
    public static let supportedOperations: Set<String> = ["metrics", "query"]
    public var operations: Set<String> { Self.supportedOperations }
    let client: PrometheusClient
    let now: @Sendable () -> Date
    /// Points per sparkline.
    static let points = 30

    public init(name: String, client: PrometheusClient, now: @escaping @Sendable () -> Date = Date.init) {
        self.name = name
        self.client = client
        self.now = now
    }

    public func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        switch action.operation {
        case "metrics": return try await metrics(action, context)
        case "query": return try await query(action)
        default: throw BackendError("Prometheus has no operation `\(action.operation)`")
        }
    }

    private func metrics(_ action: Action, _ context: ExecutionContext) async throws -> Outcome {
        let queries = try SeriesQuery.parse(try action.parameter("series"))
        let window = max(Self.points, Int(action.optionalParameter("window") ?? "") ?? 3600)
        let threshold = Double(action.optionalParameter("change_percent") ?? "") ?? 20
        let step = max(1, window / Self.points)
        let end = now()
        let start = end.addingTimeInterval(-Double(window))
        let period = DurationFormat.format(seconds: window)
        var series: [Series] = []
        var facts: [Fact] = []
        var missing: [String] = []
        var changed: [String] = []
        for query in queries {
            await context.progress("querying \(query.name)")
            let current = try await client.queryRange(query.promql, start: start, end: end, step: step)
            guard let first = current.first, first.samples.contains(where: { $0.value.isFinite }) else {
                missing.append(query.name)
                continue
            }
            let values = first.samples.map(\.value)
            series.append(Series(name: query.name, unit: query.unit, values: values))
            let previous = try await client.queryRange(query.promql, start: start.addingTimeInterval(-Double(window)), end: start, step: step)
            if let change = Self.change(from: previous.first?.samples.map(\.value) ?? [], to: values), abs(change) >= threshold {
                facts.append(
                    Fact(
                        "\(query.name) vs previous \(period)",
                        "\(change > 0 ? "▲" : "▼") \(TemplateSummarizer.format((abs(change) * 10).rounded() / 10))%"))
                changed.append(query.name)
            }
        }
        if !missing.isEmpty { facts.append(Fact("no data", missing.joined(separator: ", "))) }
        guard !series.isEmpty else {
            return Outcome(
                status: .failed, headline: "Prometheus has no data for any of the \(queries.count) series over the last \(period).", facts: facts)
        }
        let subject = action.optionalParameter("title") ?? "Metrics"
        let headline =
            "\(subject) over the last \(period): "
            + (changed.isEmpty
                ? "no series moved by \(TemplateSummarizer.format(threshold))% or more against the previous \(period)."
                : "\(changed.joined(separator: ", ")) moved by \(TemplateSummarizer.format(threshold))% or more against the previous \(period).")
        return Outcome(status: .succeeded, headline: headline, facts: facts, series: series)
    }

    private func query(_ action: Action) async throws -> Outcome {
        let promql = try action.parameter("query")
        let result = try await client.query(promql, at: now())
        let labelNames = Array(Set(result.flatMap(\.labels.keys))).sorted()
        let rows = result.map { series in
            labelNames.map { series.labels[$0] ?? "" } + [series.samples.last.map { TemplateSummarizer.format($0.value) } ?? "–"]
        }
        return Outcome(
            status: .succeeded, headline: "\(result.count) series for `\(promql)`.",
            table: result.isEmpty ? [] : [labelNames + ["value"]] + rows)
    }

    /// The change of the mean, in percent of the previous mean; nil when there is no previous data or it was zero.
    static func change(from previous: [Double], to current: [Double]) -> Double? {
        let before = previous.filter(\.isFinite)
        let after = current.filter(\.isFinite)
        guard !before.isEmpty, !after.isEmpty else { return nil }
        let old = before.reduce(0, +) / Double(before.count)
        let new = after.reduce(0, +) / Double(after.count)
        guard old != 0 else { return nil }
        return (new - old) / abs(old) * 100
    }
}
