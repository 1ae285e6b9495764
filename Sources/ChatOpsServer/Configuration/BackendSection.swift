import ChatOpsCore
import Evaluation
import Foundation
import LLM
import Logging
import OpsBackends

/// What backends are made with besides their own entry.
struct BackendEnvironment {
    /// `llm.models`, the targets (and judge) of `eval` backends.
    var models: [String: OpenAICompatibleModel.Settings]
    var records: any EvalRecords
    /// Removes secrets from what an `eval` backend logs to MLflow.
    var redactor: SecretRedactor
    var logger: Logger
}

/// One entry under `backends:`: a named connection commands choose with `action.backend`.
///
/// ```yaml
/// backends:
///   argo: {type: http, url: "https://argocd.internal", headers: {Authorization: "Bearer ${ARGOCD_TOKEN}"}}
///   jobs: {type: program, allowed: [/opt/chatops/bin], environment: [PATH, KUBECONFIG], timeout_ms: 600000}
///   prometheus: {type: prometheus, url: "http://prometheus.monitoring:9090"}
///   registry: {type: mlflow, url: "http://mlflow.internal:5000", headers: {Authorization: "Bearer ${MLFLOW_TOKEN}"}}
///   cluster: {type: kubernetes, in_cluster: true}
///   serving: {type: kserve, kubeconfig: kube/config, context: prod, namespace: models-prod, registry: registry}
///   evals: {type: eval, datasets: evals, judge: judge-model, concurrency: 4, case_timeout_ms: 60000, registry: registry, serving: serving}
/// ```
///
/// An `eval` backend evaluates the models of `llm.models` (`/eval assistant v2` asks `assistant`),
/// versions in MLflow's registry (`registry`) and KServe's InferenceServices (`serving`) on the JSON
/// Lines datasets of its `datasets` folder (or under an http(s) URL); `judge` names the model of
/// `llm.models` that scores `judge` checks. With a `registry`, runs are logged to MLflow.
public struct BackendSection: Decodable, Sendable {
    public enum Kind: String, Decodable, Sendable, CaseIterable {
        case http, program, prometheus, mlflow, kubernetes, kserve, eval
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
    /// `kubernetes`/`kserve`: use the pod's service account.
    public var inCluster: Bool
    /// `kubernetes`/`kserve`: a kubeconfig file (relative to the configuration file) and optionally its context.
    public var kubeconfig: String?
    public var context: String?
    /// `kubernetes`/`kserve`: the namespace commands use when they name none (else the context's).
    public var namespace: String?
    /// `kserve`: the `mlflow` backend that resolves versions and aliases to storage URIs.
    public var registry: String?
    /// `kubernetes`/`kserve`: how often a rollout is checked.
    public var pollMilliseconds: Int?
    /// `http`: a header that carries the execution id, such as `Idempotency-Key`.
    public var idempotencyHeader: String?
    /// Bounds one action as a whole (every request, a rollout, a program); default 15 minutes.
    public var actionTimeoutMilliseconds: Int?
    /// Failures in a row (no answer, timeouts) after which calls are refused for `circuit_open_ms`.
    public var circuitFailures: Int?
    public var circuitOpenMilliseconds: Int?
    /// `eval`: the folder of datasets (relative to the configuration file), the judge model, how many
    /// cases run at once and how long one may take.
    public var datasets: String?
    public var judge: String?
    /// `eval`: a `kserve` backend whose InferenceServices may be evaluated by name.
    public var serving: String?
    /// `eval` with a `registry`: the MLflow experiment runs are logged to (`chatops-evals`).
    public var experiment: String?
    /// `eval` with a `registry`: URL prefixes a model version's endpoint tag may name; without them,
    /// versions in MLflow are not evaluated (a tag could send the datasets anywhere).
    public var endpoints: [String]
    /// `eval`: the thresholds of the verdict rule.
    var verdict: VerdictSection?
    public var concurrency: Int?
    public var caseTimeoutMilliseconds: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, url, headers, allowed, environment, kubeconfig, context, namespace, registry
        case timeoutMilliseconds = "timeout_ms", outputBytes = "output_bytes", inCluster = "in_cluster", pollMilliseconds = "poll_ms"
        case idempotencyHeader = "idempotency_header", actionTimeoutMilliseconds = "action_timeout_ms", circuitFailures = "circuit_failures"
        case circuitOpenMilliseconds = "circuit_open_ms"
        case datasets, judge, concurrency, caseTimeoutMilliseconds = "case_timeout_ms", serving, experiment, verdict, endpoints
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
        inCluster = try c.decodeIfPresent(Bool.self, forKey: .inCluster) ?? false
        kubeconfig = try c.decodeIfPresent(String.self, forKey: .kubeconfig)
        context = try c.decodeIfPresent(String.self, forKey: .context)
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
        registry = try c.decodeIfPresent(String.self, forKey: .registry)
        pollMilliseconds = try c.decodeIfPresent(Int.self, forKey: .pollMilliseconds)
        idempotencyHeader = try c.decodeIfPresent(String.self, forKey: .idempotencyHeader)
        actionTimeoutMilliseconds = try c.decodeIfPresent(Int.self, forKey: .actionTimeoutMilliseconds)
        circuitFailures = try c.decodeIfPresent(Int.self, forKey: .circuitFailures)
        circuitOpenMilliseconds = try c.decodeIfPresent(Int.self, forKey: .circuitOpenMilliseconds)
        datasets = try c.decodeIfPresent(String.self, forKey: .datasets)
        judge = try c.decodeIfPresent(String.self, forKey: .judge)
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency)
        caseTimeoutMilliseconds = try c.decodeIfPresent(Int.self, forKey: .caseTimeoutMilliseconds)
        serving = try c.decodeIfPresent(String.self, forKey: .serving)
        experiment = try c.decodeIfPresent(String.self, forKey: .experiment)
        verdict = try c.decodeIfPresent(VerdictSection.self, forKey: .verdict)
        endpoints = try c.decodeIfPresent([String].self, forKey: .endpoints) ?? []
    }

    /// The action time limit and circuit settings, with their defaults.
    var limits: BackendLimits {
        let defaults = BackendLimits()
        return BackendLimits(
            actionTimeout: actionTimeoutMilliseconds.map { .milliseconds($0) } ?? defaults.actionTimeout,
            circuitFailures: circuitFailures ?? defaults.circuitFailures,
            circuitOpen: circuitOpenMilliseconds.map { TimeInterval($0) / 1000 } ?? defaults.circuitOpen)
    }

    /// The operations commands may name for this backend.
    public var operations: Set<String> {
        switch type {
        case .http: return HTTPActionBackend.supportedOperations
        case .program: return ProgramBackend.supportedOperations
        case .prometheus: return PrometheusBackend.supportedOperations
        case .mlflow: return MLflowBackend.supportedOperations
        case .kubernetes: return KubernetesBackend.supportedOperations
        case .kserve: return KServeBackend.supportedOperations
        case .eval: return EvalBackend.supportedOperations
        }
    }

    /// What is wrong with the entry, for `validate`.
    /// - Parameters:
    ///   - all: every configured backend, for `registry` references.
    ///   - base: the configuration's folder, for relative paths.
    public func problems(name: String, all: [String: BackendSection], base: URL) -> [String] {
        var problems: [String] = []
        if name == "sandbox" { problems.append("`sandbox` is the built-in backend; give this one another name") }
        switch type {
        case .http, .prometheus, .mlflow:
            if url.flatMap(URL.init(string:))?.host == nil { problems.append("backends.\(name).url must be an http(s) URL") }
        case .program:
            if allowed.isEmpty || allowed.contains(where: { !$0.hasPrefix("/") }) {
                problems.append("backends.\(name).allowed must list absolute folders or files programs may be run from")
            }
        case .kubernetes, .kserve:
            if !inCluster && kubeconfig == nil {
                problems.append("backends.\(name) needs `in_cluster: true` or a `kubeconfig` file")
            } else if let kubeconfig, !inCluster {
                do { _ = try ClusterAccess.kubeconfig(path: resolve(kubeconfig, base), context: context) } catch {
                    problems.append("backends.\(name): \(error.message)")
                }
            }
            if let registry, all[registry]?.type != .mlflow {
                problems.append("backends.\(name).registry `\(registry)` is not an mlflow backend")
            }
        case .eval:
            var isFolder: ObjCBool = false
            let isURL = datasets.flatMap(EvalDatasets.Source.url) != nil
            if !isURL,
                datasets.map({ FileManager.default.fileExists(atPath: resolve($0, base), isDirectory: &isFolder) && isFolder.boolValue }) != true
            {
                problems.append("backends.\(name).datasets must name a folder of .jsonl datasets, or an http(s) URL under which they are")
            }
            if let concurrency, concurrency < 1 { problems.append("backends.\(name).concurrency must be at least 1") }
            if let registry, all[registry]?.type != .mlflow {
                problems.append("backends.\(name).registry `\(registry)` is not an mlflow backend")
            }
            problems += verdict?.problems("backends.\(name).verdict") ?? []
            if endpoints.contains(where: { !EvalTargets.isEndpointPrefix($0) }) {
                problems.append("backends.\(name).endpoints must list http(s) URLs with a host")
            }
            if let serving, all[serving]?.type != .kserve {
                problems.append("backends.\(name).serving `\(serving)` is not a kserve backend")
            }
        }
        return problems
    }

    var timeout: Duration { .milliseconds(timeoutMilliseconds ?? 30_000) }

    func resolve(_ path: String, _ base: URL) -> String {
        path.hasPrefix("/") ? path : base.appendingPathComponent(path).path
    }

    /// The backend this entry describes.
    /// - Parameter shared: what an `eval` backend needs besides its entry.
    /// - Throws: `BackendError` when a cluster's credentials cannot be read.
    func makeBackend(name: String, all: [String: BackendSection], base: URL, shared: BackendEnvironment) throws -> any Backend {
        switch type {
        case .eval:
            let registryClient = registry.flatMap { all[$0] }.map { $0.mlflowClient() }
            let targets = EvalTargets(
                models: shared.models, registry: registryClient, endpoints: endpoints,
                serving: try serving.flatMap { all[$0] }.map { try $0.kubernetesClient(base: base) },
                timeout: .milliseconds(caseTimeoutMilliseconds ?? 60_000))
            var settings = EvalSettings(
                datasets: EvalDatasets.Source.url(datasets ?? "") ?? .folder(URL(fileURLWithPath: resolve(datasets ?? "", base))),
                targets: targets, judge: judge.flatMap { shared.models[$0] }, concurrency: concurrency ?? 4,
                caseTimeout: .milliseconds(caseTimeoutMilliseconds ?? 60_000), rule: verdict?.rule ?? VerdictRule())
            settings.mlflow = registryClient.map { MLflowEvalLog(client: $0, experiment: experiment ?? "chatops-evals", redactor: shared.redactor) }
            return EvalBackend(name: name, settings: settings, records: shared.records, logger: shared.logger)
        case .http:
            return HTTPActionBackend(
                name: name, settings: .init(baseURL: url ?? "", headers: headers, timeout: timeout, idempotencyHeader: idempotencyHeader))
        case .program:
            return ProgramBackend(
                name: name,
                settings: .init(
                    allowed: allowed, environment: environment, timeout: .milliseconds(timeoutMilliseconds ?? 60_000),
                    outputBytes: outputBytes ?? 64 << 10))
        case .prometheus:
            return PrometheusBackend(name: name, client: PrometheusClient(baseURL: url ?? "", headers: headers, timeout: timeout))
        case .mlflow:
            return MLflowBackend(name: name, client: mlflowClient())
        case .kubernetes, .kserve:
            let client = try kubernetesClient(base: base)
            let poll = Duration.milliseconds(pollMilliseconds ?? 1_000)
            if type == .kubernetes { return KubernetesBackend(name: name, client: client, pollInterval: poll) }
            return KServeBackend(name: name, client: client, registry: registry.flatMap { all[$0] }.map { $0.mlflowClient() }, pollInterval: poll)
        }
    }

    func kubernetesClient(base: URL) throws -> KubernetesClient {
        var access = inCluster ? try ClusterAccess.inCluster() : try ClusterAccess.kubeconfig(path: resolve(kubeconfig ?? "", base), context: context)
        if let namespace { access.namespace = namespace }
        return try KubernetesClient(access: access, timeout: timeout)
    }

    func mlflowClient() -> MLflowClient {
        MLflowClient(baseURL: url ?? "", headers: headers, timeout: timeout)
    }
}
