import ChatOpsCore
import LLM
import OpsBackends

/// Where `/eval <model> [version]` sends its cases, looked up in this order:
/// 1. a model of `llm.models` (the version is only a label);
/// 2. a registered model in MLflow (`registry`): the version or alias given, else the newest
///    version; the version's tag `chatops.openai_base_url` names the OpenAI-compatible endpoint that
///    serves it, which must start with one of `endpoints`, and `chatops.openai_model` the model name
///    to ask for (the registered name if unset);
/// 3. a KServe InferenceService of that name (`serving`): its URL's OpenAI-compatible routes
///    (`<status.url>/openai/v1`), asking for the model by the service's name; the version is a label,
///    as for `llm.models`, and the report names the storage URI the service serves.
public struct EvalTargets: Sendable {
    /// The tags of an MLflow model version that name its endpoint.
    public static let endpointTag = "chatops.openai_base_url"
    public static let modelTag = "chatops.openai_model"

    public var models: [String: OpenAICompatibleModel.Settings]
    public var registry: MLflowClient?
    /// URL prefixes an endpoint named by an MLflow tag must be under (by scheme, host, port and path).
    public var endpoints: [String]
    public var serving: KubernetesClient?
    /// How long one request to a target found in MLflow or KServe may take.
    public var timeout: Duration

    /// Whether `text` can be an entry of `endpoints`: an http(s) URL with a host and no credentials.
    public static func isEndpointPrefix(_ text: String) -> Bool { EndpointPrefix(text) != nil }

    public init(
        models: [String: OpenAICompatibleModel.Settings], registry: MLflowClient? = nil, endpoints: [String] = [],
        serving: KubernetesClient? = nil, timeout: Duration = .seconds(60)
    ) {
        self.models = models
        self.registry = registry
        self.endpoints = endpoints
        self.serving = serving
        self.timeout = timeout
    }

    /// A target, where it was found (for the report), and the version it is, when the registry
    /// resolved it (`v3` for the alias `candidate`): the run is kept under that version, so an
    /// approval that requires an eval of `v3` finds it, and one of a moved alias does not.
    public struct Target: Sendable {
        public var settings: OpenAICompatibleModel.Settings
        public var source: String
        public var version: String?
    }

    public func resolve(model: String, version: String?) async throws -> Target {
        if let settings = models[model] { return Target(settings: settings, source: "`\(model)` of llm.models") }
        if let registry, let found = try await registry.versionIfRegistered(model, reference: version) {
            let tags = Dictionary((found.tags ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            guard let url = tags[Self.endpointTag] else {
                throw BackendError(
                    "MLflow's `\(model)` version \(found.version) has no tag `\(Self.endpointTag)`: set it to the OpenAI-compatible URL that serves this version"
                )
            }
            guard endpoints.contains(where: { EndpointPrefix($0)?.allows(url) == true }) else {
                throw BackendError(
                    "MLflow's `\(model)` version \(found.version) names the endpoint \(url), which is not under the eval backend's `endpoints` (\(endpoints.isEmpty ? "none are configured" : endpoints.joined(separator: ", ")))"
                )
            }
            return Target(
                settings: .init(baseURL: url, model: tags[Self.modelTag] ?? model, timeout: timeout),
                source: "MLflow `\(model)` version \(found.version) at \(url)", version: "v\(found.version)")
        }
        if let serving {
            let namespace = serving.access.namespace
            do {
                let service = try await serving.get(
                    "/apis/serving.kserve.io/v1beta1/namespaces/\(namespace)/inferenceservices/\(model)",
                    "get inferenceservices \(model) in \(namespace)")
                guard let url = service[path: ["status", "url"]]?.string else {
                    throw BackendError("KServe's `\(model)` in \(namespace) has no URL yet: it is not ready")
                }
                let base = (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/openai/v1"
                let storage = service[path: ["spec", "predictor", "model", "storageUri"]]?.string.map { ", serving \($0)" } ?? ""
                return Target(
                    settings: .init(baseURL: base, model: model, timeout: timeout), source: "KServe `\(model)` in \(namespace) at \(base)\(storage)")
            } catch let error as KubernetesError where error.code == 404 {
                // Not served there either: the message below lists where the bot looked.
            } catch let error as KubernetesError {
                throw BackendError(error.explanation)
            }
        }
        let places =
            ["llm.models (\(models.keys.sorted().joined(separator: ", ")))"] + (registry == nil ? [] : ["MLflow's registry"])
            + (serving.map { ["KServe in \($0.access.namespace)"] } ?? [])
        throw BackendError("no eval target `\(model)`: looked in \(places.joined(separator: ", "))")
    }
}
