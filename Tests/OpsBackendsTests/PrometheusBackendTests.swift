import ChatOpsCore
import Foundation
import Testing

@testable import OpsBackends

/// Against the real Prometheus `scripts/test` starts, scraping the model-traffic exporter every second
/// (fraud in prod: 10 requests/s succeed, 0.2/s fail, a latency histogram, 3 replicas).
@Suite("Prometheus metrics", .serialized)
struct PrometheusBackendTests {
    static func backend() throws -> PrometheusBackend {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_PROMETHEUS_URL"] else {
            throw BackendError("CHATOPS_PROMETHEUS_URL is not set: run the tests with scripts/test, which starts Prometheus")
        }
        return PrometheusBackend(name: "prometheus", client: PrometheusClient(baseURL: url))
    }

    static let series = """
        # what the metrics command shows for a model
        request rate | req/s | sum(rate(model_requests_total{model="fraud",env="prod"}[15s]))
        error rate | % | 100 * sum(rate(model_requests_total{model="fraud",env="prod",code=~"5.."}[15s])) / sum(rate(model_requests_total{model="fraud",env="prod"}[15s]))
        p95 latency | ms | 1000 * histogram_quantile(0.95, sum by (le) (rate(model_request_duration_seconds_bucket{model="fraud",env="prod"}[15s])))
        replicas | | sum(model_replicas{model="fraud",env="prod"})
        gpu utilisation | % | avg(DCGM_FI_DEV_GPU_UTIL{model="fraud"})
        """

    /// Waits until Prometheus has scraped enough for a rate.
    static func waitForTraffic(_ backend: PrometheusBackend) async throws {
        for _ in 0..<100 {
            let outcome = try await backend.execute(
                action("prometheus", "query", ["query": #"sum(rate(model_requests_total{model="fraud"}[15s]))"#]),
                context: ProgressMessages().context())
            if outcome.table.count == 2 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BackendError("Prometheus has no traffic from the exporter after 20 s")
    }

    @Test func theMetricsCommandShowsEachSeriesWithUnitsAndNamesMissingData() async throws {
        let backend = try Self.backend()
        try await Self.waitForTraffic(backend)
        let progress = ProgressMessages()
        let outcome = try await backend.execute(
            action("prometheus", "metrics", ["series": Self.series, "window": "60", "title": "fraud in prod"]), context: progress.context())
        #expect(outcome.status == .succeeded)
        #expect(outcome.headline.hasPrefix("fraud in prod over the last 1m:"))
        #expect(outcome.series.map(\.name) == ["request rate", "error rate", "p95 latency", "replicas"])
        #expect(outcome.series.map(\.unit) == ["req/s", "%", "ms", ""])
        let rate = try #require(outcome.series.first?.values.last { $0.isFinite })
        #expect((8...12.5).contains(rate), "about 10.2 requests a second: \(rate)")
        let errors = try #require(outcome.series[1].values.last { $0.isFinite })
        #expect((0.5...4).contains(errors), "about 2 % fail: \(errors)")
        let p95 = try #require(outcome.series[2].values.last { $0.isFinite })
        #expect((25...100).contains(p95), "the 95th percentile falls in the 50–100 ms bucket: \(p95)")
        #expect(outcome.series[3].values.last { $0.isFinite } == 3)
        #expect(outcome.facts.contains(Fact("no data", "gpu utilisation")), "a series without data is named, not drawn")
        #expect(progress.all.contains("querying p95 latency"))
        let reply = TemplateSummarizer().render(outcome, of: Invocation(command: "metrics", arguments: [:]))
        let line = try #require(reply.fields.first { $0.name == "request rate" })
        #expect(
            line.value.contains("req/s") && line.value.unicodeScalars.contains { (0x2581...0x2588).contains($0.value) },
            "a sparkline with the last value and unit: \(line.value)")
    }

    @Test func anInstantQueryBecomesATableAndABadQueryIsExplained() async throws {
        let backend = try Self.backend()
        try await Self.waitForTraffic(backend)
        let table = try await backend.execute(
            action("prometheus", "query", ["query": #"sum by (code) (model_requests_total{model="fraud"})"#]), context: ProgressMessages().context())
        #expect(table.table.first == ["code", "value"])
        #expect(Set(table.table.dropFirst().map(\.first)) == ["200", "500"])
        do {
            _ = try await backend.execute(
                action("prometheus", "query", ["query": "sum(rate(model_requests_total[1m])"]), context: ProgressMessages().context())
            Issue.record("a broken query was accepted")
        } catch let error as BackendError {
            #expect(error.message.contains("bad_data") && error.message.contains("unclosed left parenthesis"), "\(error.message)")
        }
        let none = try await backend.execute(
            action("prometheus", "metrics", ["series": "gpu | % | avg(DCGM_FI_DEV_GPU_UTIL)", "window": "60"]), context: ProgressMessages().context())
        #expect(none.status == .failed)
        #expect(none.headline.contains("no data"))
    }

    @Test func aSeriesThatMovedAgainstThePreviousPeriodIsFlagged() async throws {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_PROMETHEUS_URL"] else {
            throw BackendError("CHATOPS_PROMETHEUS_URL is not set: run the tests with scripts/test, which starts Prometheus")
        }
        // Evaluated by Prometheus itself: 1 before the window starts and 2 inside it, so the mean doubles.
        let now = Date()
        let start = Int(now.timeIntervalSince1970) - 600
        let backend = PrometheusBackend(name: "prometheus", client: PrometheusClient(baseURL: url), now: { now })
        let series = """
            load | req/s | vector(1) + (vector(time()) >= bool \(start))
            steady | req/s | vector(5)
            """
        let outcome = try await backend.execute(
            action("prometheus", "metrics", ["series": series, "window": "600"]), context: ProgressMessages().context())
        // About +100 %: the sample at the boundary belongs to both periods.
        let flag = try #require(outcome.facts.first { $0.name == "load vs previous 10m" }, "\(outcome.facts)")
        #expect(flag.value.hasPrefix("▲ ") && (90...100).contains(Double(flag.value.dropFirst(2).dropLast()) ?? 0), "\(flag.value)")
        #expect(!outcome.facts.contains { $0.name.hasPrefix("steady") }, "an unchanged series is not flagged")
        #expect(outcome.headline == "Metrics over the last 10m: load moved by 20% or more against the previous 10m.")
    }

    @Test func seriesLinesAndChanges() throws {
        let parsed = try SeriesQuery.parse("a | ms | x{code=~\"4..|5..\"}\n\n# note\nb |  | y")
        #expect(parsed == [SeriesQuery(name: "a", unit: "ms", promql: "x{code=~\"4..|5..\"}"), SeriesQuery(name: "b", unit: "", promql: "y")])
        #expect(throws: BackendError.self) { try SeriesQuery.parse("just a query") }
        #expect(PrometheusBackend.change(from: [10, 10], to: [13, 13]) == 30)
        #expect(PrometheusBackend.change(from: [10, .nan], to: [5]) == -50)
        #expect(PrometheusBackend.change(from: [], to: [5]) == nil)
        #expect(PrometheusBackend.change(from: [0], to: [5]) == nil)
    }
}
