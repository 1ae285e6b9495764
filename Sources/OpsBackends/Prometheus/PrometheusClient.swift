import AsyncHTTPClient
import ChatOpsCore
import Foundation
import NIOCore
import NIOHTTP1

/// The Prometheus HTTP API (prometheus.io/docs/prometheus/latest/querying/api/): instant queries
/// (`/api/v1/query`) and range queries (`/api/v1/query_range`). Errors come back as
/// `{"status": "error", "errorType", "error"}` with HTTP 400, 422 or 503, and are reported with the
/// server's own words.
public struct PrometheusClient: Sendable {
    /// One series: its labels and its samples (time, value).
    public struct Series: Sendable, Equatable {
        public var labels: [String: String]
        public var samples: [(time: Double, value: Double)]

        public static func == (lhs: Series, rhs: Series) -> Bool {
            lhs.labels == rhs.labels && lhs.samples.map(\.time) == rhs.samples.map(\.time)
                && lhs.samples.map(\.value).elementsEqual(rhs.samples.map(\.value)) { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
    }

    let endpoint: APIEndpoint

    public init(baseURL: String, headers: [String: String] = [:], timeout: Duration = .seconds(15), http: HTTPClient = .backends) {
        endpoint = APIEndpoint(service: "Prometheus", baseURL: baseURL, headers: headers, timeout: timeout, http: http)
    }

    /// An instant query at `time` (now when nil).
    public func query(_ promql: String, at time: Date? = nil) async throws(BackendError) -> [Series] {
        var parameters = [("query", promql)]
        if let time { parameters.append(("time", Self.timestamp(time))) }
        return try await get("/api/v1/query", parameters)
    }

    /// A range query from `start` to `end`, one sample per `step` seconds.
    public func queryRange(_ promql: String, start: Date, end: Date, step: Int) async throws(BackendError) -> [Series] {
        try await get(
            "/api/v1/query_range",
            [
                ("query", promql), ("start", Self.timestamp(start)), ("end", Self.timestamp(end)), ("step", "\(max(1, step))"),
            ])
    }

    private func get(_ path: String, _ parameters: [(String, String)]) async throws(BackendError) -> [Series] {
        let (status, body) = try await endpoint.send(.GET, try endpoint.url(path, query: parameters))
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: body)
        } catch {
            throw BackendError("Prometheus answered HTTP \(status) with something that is not its API's JSON")
        }
        guard answer.status == "success", let data = answer.data else {
            throw BackendError("Prometheus refused the query (\(answer.errorType ?? "HTTP \(status)")): \(answer.error ?? "no reason given")")
        }
        return data.result.map { result in
            let pairs = result.values ?? result.value.map { [$0] } ?? []
            return Series(
                labels: result.metric,
                samples: pairs.compactMap { pair in
                    guard pair.count == 2, case .number(let time) = pair[0], case .string(let text) = pair[1] else { return nil }
                    return (time, Double(text) ?? .nan)
                })
        }
    }

    static func timestamp(_ date: Date) -> String {
        String(format: "%.3f", date.timeIntervalSince1970)
    }

    struct Answer: Decodable {
        struct Data: Decodable {
            struct Result: Decodable {
                var metric: [String: String]
                var value: [JSONValue]?
                var values: [[JSONValue]]?
            }
            var resultType: String
            var result: [Result]
        }
        var status: String
        var data: Data?
        var errorType: String?
        var error: String?
    }
}
