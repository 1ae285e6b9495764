import ChatOpsCore
import Foundation

/// Models served by KServe InferenceServices (`serving.kserve.io/v1beta1`,
/// kserve.github.io/website/latest/reference/api/), on the same Kubernetes client.
///
/// Operations (`namespace` defaults to the context's; `name` is the InferenceService):
/// - `status`: the Ready condition, URL, storage URI and canary share.
/// - `deploy` (`storage_uri`, or `version` resolved through the configured MLflow registry with
///   `registry_model`; optional `runtime_version`, `canary` percent): patches the predictor's model
///   and follows it until Ready. With `canary`, that share of traffic goes to the new revision.
/// - `promote`: sends all traffic to the latest revision (clears `canaryTrafficPercent`).
/// - `rollback`: sends all traffic back to the previous rolled-out revision (`canaryTrafficPercent: 0`).
/// - `scale` (`min_replicas`, `max_replicas`).
public struct KServeBackend: Backend {
    public static let supportedOperations: Set<String> = ["status", "deploy", "promote", "rollback", "scale"]
    public var operations: Set<String> { Self.supportedOperations }
    public let name: String
    let client: KubernetesClient
    let registry: MLflowClient?
    let pollInterval: Duration

    public init(name: String, client: KubernetesClient, registry: MLflowClient? = nil, pollInterval: Duration = .seconds(1)) {
        self.name = name
        self.client = client
        self.registry = registry
        self.pollInterval = pollInterval
    }

    public func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        do {
            let service = try action.parameter("name")
            let namespace = action.optionalParameter("namespace") ?? client.access.namespace
            let path = "/apis/serving.kserve.io/v1beta1/namespaces/\(namespace)/inferenceservices/\(service)"
            let label = "\(service) in \(namespace)"
            switch action.operation {
            case "status":
                let object = try await client.get(path, "get inferenceservices \(label)")
                return Outcome(status: .succeeded, headline: "\(label) is \(Self.ready(object) ? "ready" : "not ready").", facts: Self.facts(object))
            case "deploy":
                let uri = try await storageURI(action)
                var model: JSONValue = ["storageUri": .string(uri)]
                if let runtime = action.optionalParameter("runtime_version") { model["runtimeVersion"] = .string(runtime) }
                let canary = action.optionalParameter("canary").flatMap(Int.init)
                let predictor: JSONValue = ["model": model, "canaryTrafficPercent": canary.map { .number(Double($0)) } ?? .null]
                return try await change(
                    path, label, ["predictor": predictor], context,
                    verb: "Deployed \(uri) to \(label)" + (canary.map { " with \($0)% canary traffic" } ?? ""))
            case "promote":
                return try await change(
                    path, label, ["predictor": ["canaryTrafficPercent": .null]], context,
                    verb: "Promoted the latest revision of \(label) to all traffic")
            case "rollback":
                return try await change(
                    path, label, ["predictor": ["canaryTrafficPercent": 0]], context, verb: "Rolled \(label) back to its previous revision")
            case "scale":
                var predictor: JSONValue = [:]
                if let low = action.optionalParameter("min_replicas").flatMap(Int.init) { predictor["minReplicas"] = .number(Double(low)) }
                if let high = action.optionalParameter("max_replicas").flatMap(Int.init) { predictor["maxReplicas"] = .number(Double(high)) }
                guard predictor.object?.isEmpty == false else { throw BackendError("`scale` needs `min_replicas` or `max_replicas`") }
                return try await change(path, label, ["predictor": predictor], context, verb: "Scaled \(label)")
            default:
                throw BackendError("KServe has no operation `\(action.operation)`")
            }
        } catch let error as KubernetesError {
            throw BackendError(error.explanation)
        }
    }

    private func storageURI(_ action: Action) async throws -> String {
        if let uri = action.optionalParameter("storage_uri") { return uri }
        guard let registry, let model = action.optionalParameter("registry_model") else {
            throw BackendError("`deploy` needs a `storage_uri`, or a `registry_model` and `version` with an MLflow registry configured")
        }
        let version = try await registry.version(model, reference: try action.parameter("version"))
        guard let source = version.source, !source.isEmpty else { throw BackendError("\(model) version \(version.version) has no source in MLflow") }
        return source
    }

    /// Applies a merge patch to `spec` (marked with the execution id), then follows the service until Ready.
    private func change(_ path: String, _ label: String, _ spec: JSONValue, _ context: ExecutionContext, verb: String) async throws -> Outcome {
        let current = try await client.get(path, "get inferenceservices \(label)")
        if !KubernetesBackend.isChanged(current, by: context) {
            let patch: JSONValue = ["metadata": ["annotations": KubernetesBackend.executionMark(context)], "spec": spec]
            _ = try await client.mergePatch(path, patch, "patch inferenceservices \(label)")
        }
        let (object, state) = try await Rollout(client: client, interval: pollInterval, deadline: .seconds(300))
            .follow(path, what: "inferenceservice \(label)", context: context, judge: Self.judge)
        switch state {
        case .done: return Outcome(status: .succeeded, headline: "\(verb).", facts: Self.facts(object))
        case .failed(let reason), .progressing(let reason):
            return Outcome(status: .failed, headline: "\(verb), but \(reason).", facts: Self.facts(object))
        }
    }

    static func ready(_ object: JSONValue) -> Bool {
        object[path: ["status", "conditions"]]?.array?.contains { $0["type"] == "Ready" && $0["status"] == "True" } ?? false
    }

    /// Ready once the controller has seen the latest spec and reports Ready.
    static func judge(_ object: JSONValue) -> Rollout.State {
        let generation = object[path: ["metadata", "generation"]]?.int ?? 0
        let observed = object[path: ["status", "observedGeneration"]]?.int ?? 0
        if observed >= generation, ready(object) { return .done("ready") }
        if let failed = object[path: ["status", "conditions"]]?.array?.first(where: {
            $0["type"] == "Ready" && $0["status"] == "False" && $0["reason"] != nil
        }),
            observed >= generation, failed["reason"]?.string != "RevisionMissing"
        {
            return .failed("not ready: \(failed["message"]?.string ?? failed["reason"]?.string ?? "")")
        }
        return .progressing("waiting for the new revision to become ready")
    }

    static func facts(_ object: JSONValue) -> [Fact] {
        var facts: [Fact] = []
        if let uri = object[path: ["spec", "predictor", "model", "storageUri"]]?.string { facts.append(Fact("storage uri", uri)) }
        if let runtime = object[path: ["spec", "predictor", "model", "runtimeVersion"]]?.string { facts.append(Fact("runtime version", runtime)) }
        if let canary = object[path: ["spec", "predictor", "canaryTrafficPercent"]]?.int { facts.append(Fact("canary traffic", "\(canary)%")) }
        if let url = object[path: ["status", "url"]]?.string { facts.append(Fact("url", url)) }
        if let traffic = object[path: ["status", "components", "predictor", "traffic"]]?.array {
            facts.append(Fact("traffic", traffic.map { "\($0["revisionName"]?.string ?? "?") \($0["percent"]?.int ?? 0)%" }.joined(separator: ", ")))
        }
        facts.append(Fact("ready", ready(object) ? "yes" : "no"))
        return facts
    }
}
