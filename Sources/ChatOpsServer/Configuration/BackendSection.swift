import Foundation
import OpsBackends

/// One entry under `backends:`: a named connection commands choose with `action.backend`.
///
/// ```yaml
/// backends:
///   argo: {type: http, url: "https://argocd.internal", headers: {Authorization: "Bearer ${ARGOCD_TOKEN}"}}
///   jobs: {type: program, allowed: [/opt/chatops/bin], environment: [PATH, KUBECONFIG], timeout_ms: 600000}
///   prometheus: {type: prometheus, url: "http://prometheus.monitoring:9090"}
///   registry: {type: mlflow, url: "http://mlflow.internal:5000", headers: {Authorization: "Bearer ${MLFLOW_TOKEN}"}}
/// ```
public struct BackendSection: Decodable, Sendable {
    public enum Kind: String, Decodable, Sendable, CaseIterable {
        case http, program, prometheus, mlflow
    }

    public var type: Kind
    /// The base URL of an `http` backend, or the address of Prometheus or the MLflow tracking server.
    public var url: String?
    /// Headers sent with every request (credentials, as secrets).
    public var headers: [String: String]
    public var timeoutMilliseconds: Int?
    /// `program`: folders or files programs may be run from.
    public var allowed: [String]
    /// `program`: environment variables passed through.
    public var environment: [String]
    /// `program`: how much of the output is kept (the end of it).
    public var outputBytes: Int?

    enum CodingKeys: String, CodingKey {
        case type, url, headers, allowed, environment
        case timeoutMilliseconds = "timeout_ms", outputBytes = "output_bytes"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(Kind.self, forKey: .type)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        timeoutMilliseconds = try c.decodeIfPresent(Int.self, forKey: .timeoutMilliseconds)
        allowed = try c.decodeIfPresent([String].self, forKey: .allowed) ?? []
        environment = try c.decodeIfPresent([String].self, forKey: .environment) ?? ["PATH"]
        outputBytes = try c.decodeIfPresent(Int.self, forKey: .outputBytes)
    }

    /// The operations commands may name for this backend.
    public var operations: Set<String> {
        switch type {
        case .http: return HTTPActionBackend.supportedOperations
        case .program: return ProgramBackend.supportedOperations
        case .prometheus: return PrometheusBackend.supportedOperations
        case .mlflow: return MLflowBackend.supportedOperations
        }
    }

    /// What is wrong with the entry, for `validate`.
    public func problems(name: String) -> [String] {
        var problems: [String] = []
        if name == "sandbox" { problems.append("`sandbox` is the built-in backend; give this one another name") }
        switch type {
        case .http, .prometheus, .mlflow:
            if url.flatMap(URL.init(string:))?.host == nil { problems.append("backends.\(name).url must be an http(s) URL") }
        case .program:
            if allowed.isEmpty || allowed.contains(where: { !$0.hasPrefix("/") }) {
                problems.append("backends.\(name).allowed must list absolute folders or files programs may be run from")
            }
        }
        return problems
    }

    var timeout: Duration { .milliseconds(timeoutMilliseconds ?? 30_000) }

    /// The backend this entry describes.
    func makeBackend(name: String) -> any Backend {
        switch type {
        case .http:
            return HTTPActionBackend(name: name, settings: .init(baseURL: url ?? "", headers: headers, timeout: timeout))
        case .program:
            return ProgramBackend(
                name: name,
                settings: .init(allowed: allowed, environment: environment, timeout: .milliseconds(timeoutMilliseconds ?? 60_000), outputBytes: outputBytes ?? 64 << 10))
        case .prometheus:
            return PrometheusBackend(name: name, client: PrometheusClient(baseURL: url ?? "", headers: headers, timeout: timeout))
        case .mlflow:
            return MLflowBackend(name: name, client: MLflowClient(baseURL: url ?? "", headers: headers, timeout: timeout))
        }
    }
}
