import ChatOpsCore
import Foundation

/// Model servers running as Kubernetes Deployments, and evaluations as batch Jobs.
///
/// Operations, with parameters from the command's action (`namespace` defaults to the context's):
/// - `status` (`name`): image, model URI, replicas and revision.
/// - `scale` (`name`, `replicas`): through the `scale` subresource, then follows the rollout.
/// - `deploy` (`name`, `image` and/or `model_uri`; `container`, `env_var` default `MODEL_URI`):
///   a JSON merge patch of the pod template, guarded by `resourceVersion` (a 409 conflict is
///   retried on a fresh read), then follows the rollout until available or `deadline` seconds.
/// - `rollback` (`name`): puts back the pod template of the previous revision's ReplicaSet, as
///   `kubectl rollout undo` does.
/// - `eval` (`name`, `image`, `arg1`…`argN`): a Job named after the execution, followed to completion;
///   its log tail and any `metric=value` lines go into the outcome.
///
/// Every change carries the annotation `chatops.dev/execution`, so a job retried after a crash
/// finds its change already made and only follows it.
public struct KubernetesBackend: Backend {
    public static let supportedOperations: Set<String> = ["status", "scale", "deploy", "rollback", "eval"]
    public var operations: Set<String> { Self.supportedOperations }
    public static let executionAnnotation = "chatops.dev/execution"

    /// The annotations that mark an object as changed by this execution.
    static func executionMark(_ context: ExecutionContext) -> JSONValue {
        .object([executionAnnotation: .string(context.executionID)])
    }

    /// True when this execution already changed the object (a job retried after a crash).
    static func isChanged(_ object: JSONValue, by context: ExecutionContext) -> Bool {
        object[path: ["metadata", "annotations", executionAnnotation]]?.string == context.executionID
    }
    public let name: String
    let client: KubernetesClient
    let pollInterval: Duration

    public init(name: String, client: KubernetesClient, pollInterval: Duration = .seconds(1)) {
        self.name = name
        self.client = client
        self.pollInterval = pollInterval
    }

    public func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        do {
            switch action.operation {
            case "status": return try await status(action)
            case "scale": return try await scale(action, context)
            case "deploy": return try await deploy(action, context)
            case "rollback": return try await rollback(action, context)
            case "eval":
                return try await EvalJob(client: client, pollInterval: pollInterval).run(action, namespace: namespace(action), context: context)
            default: throw BackendError("Kubernetes has no operation `\(action.operation)`")
            }
        } catch let error as KubernetesError {
            throw BackendError(error.explanation)
        }
    }

    func namespace(_ action: Action) -> String { action.optionalParameter("namespace") ?? client.access.namespace }

    func deploymentPath(_ action: Action) throws -> String {
        "/apis/apps/v1/namespaces/\(namespace(action))/deployments/\(try action.parameter("name"))"
    }

    func rollout(_ action: Action) -> Rollout {
        Rollout(client: client, interval: pollInterval, deadline: .seconds(Int(action.optionalParameter("deadline") ?? "") ?? 300))
    }

    private func status(_ action: Action) async throws -> Outcome {
        let name = try action.parameter("name")
        let deployment = try await client.get(try deploymentPath(action), "get deployment \(name) in \(namespace(action))")
        let state = Rollout.deployment(deployment)
        var facts = Self.facts(
            deployment, container: action.optionalParameter("container"), envVar: action.optionalParameter("env_var") ?? "MODEL_URI")
        if case .progressing(let message) = state { facts.append(Fact("rollout", message)) }
        return Outcome(status: .succeeded, headline: "\(name) in \(namespace(action)): \(Self.readiness(deployment)).", facts: facts)
    }

    private func scale(_ action: Action, _ context: ExecutionContext) async throws -> Outcome {
        let name = try action.parameter("name")
        guard let replicas = Int(try action.parameter("replicas")), replicas >= 0 else { throw BackendError("`replicas` must be a whole number") }
        let path = try deploymentPath(action)
        let before = try await client.get(path, "get deployment \(name) in \(namespace(action))")
        let from = before[path: ["spec", "replicas"]]?.int ?? 0
        _ = try await client.mergePatch(
            path + "/scale", ["spec": ["replicas": .number(Double(replicas))]], "patch deployments/scale \(name) in \(namespace(action))")
        return try await finish(action, context, verb: "Scaled \(name) in \(namespace(action)) from \(from) to \(replicas) replicas")
    }

    private func deploy(_ action: Action, _ context: ExecutionContext) async throws -> Outcome {
        let image = action.optionalParameter("image")
        let modelURI = action.optionalParameter("model_uri")
        guard image != nil || modelURI != nil else { throw BackendError("`deploy` needs an `image` or a `model_uri`") }
        let name = try action.parameter("name")
        let envVar = action.optionalParameter("env_var") ?? "MODEL_URI"
        try await patchTemplate(action, context) { template in
            var containers = template[path: ["spec", "containers"]]?.array ?? []
            let wanted = action.optionalParameter("container")
            guard let index = wanted.map({ wanted in containers.firstIndex { $0["name"]?.string == wanted } }) ?? (containers.isEmpty ? nil : 0)
            else {
                let names = containers.compactMap { $0["name"]?.string }.joined(separator: ", ")
                throw BackendError("deployment \(name) has no container `\(wanted ?? "")`; it has \(names.isEmpty ? "none" : names)")
            }
            if let image { containers[index]["image"] = .string(image) }
            if let modelURI {
                var env = containers[index]["env"]?.array ?? []
                env.removeAll { $0["name"]?.string == envVar }
                env.append(["name": .string(envVar), "value": .string(modelURI)])
                containers[index]["env"] = .array(env)
            }
            template[path: ["spec", "containers"]] = .array(containers)
        }
        let what = [image.map { "image \($0)" }, modelURI.map { "\(envVar)=\($0)" }].compactMap { $0 }.joined(separator: ", ")
        return try await finish(action, context, verb: "Deployed \(what) to \(name) in \(namespace(action))")
    }

    private func rollback(_ action: Action, _ context: ExecutionContext) async throws -> Outcome {
        let name = try action.parameter("name")
        let namespace = namespace(action)
        let deployment = try await client.get(try deploymentPath(action), "get deployment \(name) in \(namespace)")
        if Self.isChanged(deployment, by: context) {
            return try await finish(action, context, verb: "Rolled back \(name) in \(namespace)")
        }
        let revision = Int(deployment[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.string ?? "") ?? 0
        let uid = deployment[path: ["metadata", "uid"]]?.string
        let selector = (deployment[path: ["spec", "selector", "matchLabels"]]?.object ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.string ?? "")" }.joined(separator: ",")
        let query = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let sets = try await client.get(
            "/apis/apps/v1/namespaces/\(namespace)/replicasets?labelSelector=\(query)", "list replicasets in \(namespace)")
        let owned = (sets["items"]?.array ?? []).filter { set in
            set[path: ["metadata", "ownerReferences"]]?.array?.contains { $0["uid"]?.string == uid } ?? false
        }
        let previous = owned.compactMap { set -> (Int, JSONValue)? in
            guard let number = Int(set[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.string ?? "") else { return nil }
            return number < revision ? (number, set) : nil
        }.max { $0.0 < $1.0 }
        guard let (number, set) = previous, var template = set[path: ["spec", "template"]] else {
            return Outcome(
                status: .failed, headline: "\(name) in \(namespace) is at revision \(revision) and has no earlier revision to roll back to.")
        }
        template[path: ["metadata", "labels", "pod-template-hash"]] = nil
        let restored = template
        try await patchTemplate(action, context, replacing: true) { $0 = restored }
        return try await finish(action, context, verb: "Rolled back \(name) in \(namespace) to revision \(number)")
    }

    /// Changes the pod template with a merge patch carrying the `resourceVersion` it was read at;
    /// a 409 conflict (someone changed it meanwhile) is retried on a fresh read.
    /// - Parameter replacing: the new template replaces the old one whole: keys it lacks are removed
    ///   (set to null in the merge patch), as a rollback needs.
    private func patchTemplate(
        _ action: Action, _ context: ExecutionContext, replacing: Bool = false, _ change: (inout JSONValue) throws -> Void
    ) async throws {
        let path = try deploymentPath(action)
        let name = try action.parameter("name")
        for attempt in 1...3 {
            let deployment = try await client.get(path, "get deployment \(name) in \(namespace(action))")
            if Self.isChanged(deployment, by: context) { return }
            let current = deployment[path: ["spec", "template"]] ?? [:]
            var template = current
            try change(&template)
            if replacing { template = MergePatchDiff.between(current, template) }
            let patch: JSONValue = [
                "metadata": [
                    "resourceVersion": deployment[path: ["metadata", "resourceVersion"]] ?? .null,
                    "annotations": Self.executionMark(context),
                ],
                "spec": ["template": template],
            ]
            do {
                _ = try await client.mergePatch(path, patch, "patch deployment \(name) in \(namespace(action))")
                return
            } catch let error as KubernetesError where error.code == 409 && attempt < 3 {
                await context.progress("\(name) changed meanwhile; reading it again")
            }
        }
    }

    private func finish(_ action: Action, _ context: ExecutionContext, verb: String) async throws -> Outcome {
        let name = try action.parameter("name")
        let (deployment, state) = try await rollout(action).follow(
            try deploymentPath(action), what: "deployment \(name)", context: context, judge: Rollout.deployment)
        let facts = Self.facts(
            deployment, container: action.optionalParameter("container"), envVar: action.optionalParameter("env_var") ?? "MODEL_URI")
        switch state {
        case .done(let summary): return Outcome(status: .succeeded, headline: "\(verb): \(summary).", facts: facts)
        case .failed(let reason), .progressing(let reason): return Outcome(status: .failed, headline: "\(verb), but \(reason).", facts: facts)
        }
    }

    static func readiness(_ deployment: JSONValue) -> String {
        "\(deployment[path: ["status", "availableReplicas"]]?.int ?? 0)/\(deployment[path: ["spec", "replicas"]]?.int ?? 0) replicas available"
    }

    static func facts(_ deployment: JSONValue, container: String?, envVar: String) -> [Fact] {
        let containers = deployment[path: ["spec", "template", "spec", "containers"]]?.array ?? []
        let chosen = containers.first { $0["name"]?.string == container } ?? containers.first
        var facts: [Fact] = []
        if let image = chosen?["image"]?.string { facts.append(Fact("image", image)) }
        if let uri = chosen?["env"]?.array?.first(where: { $0["name"]?.string == envVar })?["value"]?.string { facts.append(Fact(envVar, uri)) }
        facts.append(Fact("replicas", readiness(deployment)))
        if let revision = deployment[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.string {
            facts.append(Fact("revision", revision))
        }
        return facts
    }
}
