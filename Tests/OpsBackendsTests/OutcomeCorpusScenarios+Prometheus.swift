import ChatOpsCore
import Foundation
import OpsBackends
import Testing

extension OutcomeCorpusRecorder {
    /// The real Prometheus `scripts/test` starts (`CHATOPS_PROMETHEUS_URL`), scraping the exporter of
    /// fraud in prod only, set up as `PrometheusBackendTests` does; the command is
    /// `commands/examples/more/metrics.yaml`, and `query` stands for a command running one PromQL query.
    static func prometheusEntries() async throws -> [CorpusEntry] {
        let backend = try PrometheusBackendTests.backend()
        try await PrometheusBackendTests.waitForTraffic(backend)
        func metrics(_ model: String, _ env: String, window: Int) -> Action {
            action("prometheus", "metrics", ["title": "\(model) in \(env)", "window": "\(window)", "series": exampleSeries(model: model, env: env)])
        }
        func query(_ promql: String) -> Action { action("prometheus", "query", ["query": promql]) }

        // Prometheus evaluates the trend itself, against a pinned now: request rate 20 before the
        // window and 10 inside it, p95 latency 40 then 80, replicas 4 throughout.
        let now = Date()
        let start = Int(now.timeIntervalSince1970) - 600
        let pinned = PrometheusBackend(name: "prometheus", client: PrometheusClient(baseURL: try prometheusURL()), now: { now })
        let trend = action(
            "prometheus", "metrics",
            [
                "title": "ranker in staging", "window": "600",
                "series": """
                request rate | req/s | vector(20) - 10 * (vector(time()) >= bool \(start))
                p95 latency | ms | vector(40) + 40 * (vector(time()) >= bool \(start))
                replicas | | vector(4)
                """,
            ])
        let unreachable = PrometheusBackend(name: "prometheus", client: PrometheusClient(baseURL: "http://127.0.0.1:1", timeout: .seconds(2)))

        let scenarios: [CorpusScenario] = [
            .success(
                "prometheus/metrics-fraud-prod", "metrics fraud --window 10m", metrics("fraud", "prod", window: 600),
                entities: ["fraud", "prod", "request rate", "error rate", "p95 latency", "gpu utilisation"],
                misreadings: [],
                forbidden: [
                    #"\bno data for (any|all)\b"#, #"\bgpu utili[sz]ation\W+(is |was |at |of |averag\w* )?\d"#,
                    #"\bprometheus (is |was )?(down|unreachable)\b"#, #"\bstaging\b"#, #"\b(the )?(metrics|query|command) failed\b"#,
                ],
                note:
                    "fraud in prod over the last 10 minutes: about 10 req/s, its error rate, p50/p95/p99 latency, 3 replicas; GPU utilisation has no data."
            ),
            .failure(
                "prometheus/metrics-churn-no-data", "metrics churn --env prod", metrics("churn", "prod", window: 3600),
                entities: ["churn", "prod", "request rate", "error rate", "p95 latency", "gpu utilisation"],
                forbidden: [
                    #"\b(0|zero) (requests|req/s|errors)\b"#, #"\b(received|got|had|has|served|sees) no (requests|traffic)\b"#,
                    #"\berror rate\W+(is |was |of )?0\b"#, #"\bprometheus (is |was )?(down|unreachable)\b"#,
                ],
                reasons: ["no data"],
                note: "Prometheus has no data for any of the 7 series of churn in prod over the last hour; it says nothing about churn's traffic."),
            .failure(
                "prometheus/metrics-fraud-staging-no-data", "metrics fraud --env staging --window 30m", metrics("fraud", "staging", window: 1800),
                entities: ["fraud", "staging"],
                forbidden: [
                    #"\b\d+(\.\d+)? ?(req/s|requests per second)\b"#, #"\b(0|zero) (requests|errors)\b"#,
                    #"\b(received|got|had|has|served|sees) no (requests|traffic)\b"#, #"\bprometheus (is |was )?(down|unreachable)\b"#,
                ],
                reasons: ["no data"],
                note: "Prometheus has no data for any of the 7 series of fraud in staging over the last 30 minutes."),
            .success(
                "prometheus/metrics-trend", "metrics ranker --env staging --window 10m", trend,
                entities: ["ranker", "staging", "request rate", "p95 latency"],
                misreadings: [],
                forbidden: [
                    #"\brequest rate\W+(rose|increased|grew|went up|doubled|spiked|climbed)"#,
                    #"\blatency\W+(fell|dropped|decreased|improved|went down|halved)"#,
                    #"\breplicas\W+(changed|dropped|rose|increased|decreased|moved)"#, #"\bno series moved\b"#, #"\bno data\b"#,
                ],
                note:
                    "ranker in staging over 10 minutes: request rate fell about 49% (to 10 req/s), p95 latency rose about 94% (to 80 ms), replicas steady at 4.",
                on: pinned),
            .success(
                "prometheus/query-requests-by-code", #"query sum by (code) (model_requests_total{model="fraud"})"#,
                query(#"sum by (code) (model_requests_total{model="fraud"})"#),
                entities: ["model_requests_total", "fraud"],
                forbidden: [#"\b(1|one|3|three) series\b"#, #"\b(no|0|zero) (series|results)\b"#],
                note: "Two series: the running totals of fraud's requests with code 200 and with code 500 (far fewer)."),
            .success(
                "prometheus/query-replicas", "query sum by (model, env) (model_replicas)", query("sum by (model, env) (model_replicas)"),
                entities: ["model_replicas", "fraud", "prod"],
                forbidden: [#"\bstaging\b"#, #"\b(churn|ranker|recsys)\b"#, #"\b(2|two|4|four) series\b"#],
                note: "One series: fraud in prod has 3 replicas."),
            .success(
                "prometheus/query-empty", #"query model_replicas{model="churn"}"#, query(#"model_replicas{model="churn"}"#),
                entities: ["model_replicas", "churn"],
                forbidden: [#"\b(0|zero) replicas\b"#, #"\bchurn (has|runs|is running (with|on)) \d"#, #"\bchurn (is )?(down|scaled to zero)\b"#],
                note: "The query matched no series (0 series); it says nothing about churn's replica count."),
            .failure(
                "prometheus/query-bad-parenthesis", "query sum(rate(model_requests_total[1m])", query("sum(rate(model_requests_total[1m])"),
                entities: ["bad_data", "model_requests_total"],
                forbidden: [#"\b\d+ series\b"#, #"\bprometheus (is |was )?(down|unreachable)\b"#, #"\btimed? ?out\b"#],
                reasons: ["bad_data", "unclosed left parenthesis", "invalid parameter"],
                note: "Prometheus refused the query as bad_data: a parse error, an unclosed left parenthesis."),
            .failure(
                "prometheus/query-bad-type", "query rate(model_requests_total)", query("rate(model_requests_total)"),
                entities: ["bad_data", "model_requests_total"],
                forbidden: [#"\b\d+ series\b"#, #"\bunclosed\b"#, #"\bprometheus (is |was )?(down|unreachable)\b"#],
                reasons: ["bad_data", "range vector", "invalid parameter"],
                note: "Prometheus refused the query as bad_data: rate() needs a range vector and got an instant vector."),
            .failure(
                "prometheus/unreachable", "metrics fraud", metrics("fraud", "prod", window: 3600),
                entities: ["fraud"],
                forbidden: [#"\bno data\b"#, #"\b\d+(\.\d+)? ?(req/s|requests per second)\b"#, #"\b(bad_data|invalid query)\b"#],
                reasons: ["did not answer"],
                note: "Prometheus at 127.0.0.1:1 did not answer, so there are no metrics; nothing is known about fraud's traffic.",
                on: unreachable),
        ]
        return try await record("prometheus", scenarios, on: backend)
    }

    static func prometheusURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_PROMETHEUS_URL"] else {
            throw BackendError("CHATOPS_PROMETHEUS_URL is not set: run the tests with scripts/test, which starts Prometheus")
        }
        return url
    }

    /// The `series` of `commands/examples/more/metrics.yaml`, rendered for a model and environment.
    static func exampleSeries(model: String, env: String) -> String {
        let selector = #"model="\#(model)",env="\#(env)""#
        return """
            request rate | req/s | sum(rate(model_requests_total{\(selector)}[5m]))
            error rate | % | 100 * sum(rate(model_requests_total{\(selector),code=~"5.."}[5m])) / sum(rate(model_requests_total{\(selector)}[5m]))
            p50 latency | ms | 1000 * histogram_quantile(0.5, sum by (le) (rate(model_request_duration_seconds_bucket{\(selector)}[5m])))
            p95 latency | ms | 1000 * histogram_quantile(0.95, sum by (le) (rate(model_request_duration_seconds_bucket{\(selector)}[5m])))
            p99 latency | ms | 1000 * histogram_quantile(0.99, sum by (le) (rate(model_request_duration_seconds_bucket{\(selector)}[5m])))
            replicas | | sum(model_replicas{\(selector)})
            gpu utilisation | % | avg(DCGM_FI_DEV_GPU_UTIL{\(selector)})

            """
    }
}
