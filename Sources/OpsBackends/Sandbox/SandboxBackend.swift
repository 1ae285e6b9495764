import ChatOpsCore
import Foundation

/// A clearly labelled simulated model fleet, for trying the bot without a cluster: deploy, scale,
/// rollback, status, metrics and eval all work, and every outcome says it is simulated.
public struct SandboxBackend: Backend {
    public let name: String
    public static let supportedOperations: Set<String> = ["deploy", "scale", "rollback", "status", "metrics", "eval"]
    public var operations: Set<String> { Self.supportedOperations }
    let store: any ExactlyOnceState
    let stepDelay: Duration
    static let namespace = "sandbox.fleet"

    /// - Parameters:
    ///   - name: the backend name commands use (`sandbox`).
    ///   - store: where the fleet is kept.
    ///   - stepDelay: the pause between simulated rollout steps.
    public init(name: String = "sandbox", store: any ExactlyOnceState, stepDelay: Duration = .milliseconds(300)) {
        self.name = name
        self.store = store
        self.stepDelay = stepDelay
    }

    public func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        var outcome: Outcome
        switch action.operation {
        case "deploy": outcome = try await deploy(action, context)
        case "scale": outcome = try await change(action, context, Self.scale)
        case "rollback": outcome = try await change(action, context, Self.rollback)
        case "status": outcome = try await status(action)
        case "metrics": outcome = try await metrics(action)
        case "eval": outcome = try await SandboxEval.run(action, context: context, stepDelay: stepDelay)
        default: throw BackendError("the sandbox has no operation `\(action.operation)`")
        }
        outcome.simulated = true
        return outcome
    }

    private func deploy(_ action: Action, _ context: ExecutionContext) async throws -> Outcome {
        let replicas = Int(action.optionalParameter("replicas") ?? "") ?? 2
        let version = try action.parameter("version")
        for ready in 1...max(1, replicas) {
            try await Task.sleep(for: stepDelay)
            await context.progress("rolling out \(version): \(ready)/\(replicas) replicas ready")
        }
        return try await change(action, context, Self.applyDeploy)
    }

    typealias Change = @Sendable (inout SandboxFleet, Action, ExecutionContext) throws(BackendError) -> Outcome

    private func change(_ action: Action, _ context: ExecutionContext, _ body: @escaping Change) async throws -> Outcome {
        let data = try await stateCall {
            try await store.applyOnce(namespace: Self.namespace, executionID: context.executionID) { state in
                var fleet = try state.map { try JSONDecoder().decode(SandboxFleet.self, from: $0) } ?? SandboxFleet()
                let outcome: Outcome
                do {
                    outcome = try body(&fleet, action, context)
                } catch {
                    outcome = Outcome(status: .failed, headline: (error as? BackendError)?.message ?? "\(error)")
                }
                state = try JSONEncoder().encode(fleet)
                return try JSONEncoder().encode(outcome)
            }
        }
        return try JSONDecoder().decode(Outcome.self, from: data)
    }

    private func fleet() async throws -> SandboxFleet {
        try await stateCall { try await store.state(namespace: Self.namespace) }.map { try JSONDecoder().decode(SandboxFleet.self, from: $0) }
            ?? SandboxFleet()
    }

    /// A call of the store that keeps the fleet; its failure is the store's, not the action's.
    private func stateCall<T>(_ call: () async throws -> T) async throws -> T {
        do { return try await call() } catch { throw BackendStateUnavailable(error) }
    }

    static func target(_ action: Action) throws(BackendError) -> (model: String, environment: String) {
        (try action.parameter("model"), action.optionalParameter("env") ?? "staging")
    }

    static func applyDeploy(_ fleet: inout SandboxFleet, _ action: Action, _ context: ExecutionContext) throws(BackendError) -> Outcome {
        let (model, environment) = try target(action)
        let version = try action.parameter("version")
        let key = SandboxFleet.key(model: model, environment: environment)
        let canary = action.optionalParameter("canary").flatMap(Int.init)
        var deployment =
            fleet.deployments[key]
            ?? SandboxDeployment(
                model: model, environment: environment, version: version, history: [], replicas: 2, revision: 0,
                rollout: "available", updatedBy: "", updatedAt: Date())
        let previous = deployment.revision == 0 ? nil : deployment.version
        if let canary, canary < 100, previous != nil {
            deployment.canaryVersion = version
            deployment.canaryPercent = canary
        } else {
            if let previous { deployment.history.append(previous) }
            deployment.version = version
            deployment.canaryVersion = nil
            deployment.canaryPercent = nil
        }
        deployment.revision += 1
        deployment.rollout = "available"
        deployment.updatedBy = context.requester.name
        deployment.updatedAt = Date()
        fleet.deployments[key] = deployment
        let headline =
            deployment.canaryVersion != nil
            ? "Canary \(version) of \(model) in \(environment) is taking \(canary ?? 0)% of traffic."
            : "Deployed \(model) \(version) to \(environment)" + (previous.map { " (was \($0))." } ?? ".")
        return Outcome(status: .succeeded, headline: headline, facts: facts(deployment))
    }

    static func scale(_ fleet: inout SandboxFleet, _ action: Action, _ context: ExecutionContext) throws(BackendError) -> Outcome {
        guard let replicas = Int(try action.parameter("replicas")), replicas >= 0 else {
            throw BackendError("replicas must be a whole number of at least 0")
        }
        return try modify(&fleet, action, context) { deployment in
            let before = deployment.replicas
            deployment.replicas = replicas
            return "Scaled \(deployment.model) in \(deployment.environment) from \(before) to \(replicas) replicas."
        }
    }

    static func rollback(_ fleet: inout SandboxFleet, _ action: Action, _ context: ExecutionContext) throws(BackendError) -> Outcome {
        try modify(&fleet, action, context) { (deployment: inout SandboxDeployment) throws(BackendError) -> String in
            let current = deployment.version
            if deployment.canaryVersion != nil {
                deployment.canaryVersion = nil
                deployment.canaryPercent = nil
            } else {
                guard let previous = deployment.history.popLast() else {
                    throw BackendError(
                        "\(deployment.model) in \(deployment.environment) has no earlier version to roll back to (it runs \(current)).")
                }
                deployment.version = previous
            }
            return "Rolled back \(deployment.model) in \(deployment.environment) from \(current) to \(deployment.version)."
        }
    }

    /// Changes an existing deployment, counts the revision and records who changed it.
    /// - Parameter change: edits the deployment and returns the headline.
    static func modify(
        _ fleet: inout SandboxFleet, _ action: Action, _ context: ExecutionContext,
        _ change: (inout SandboxDeployment) throws(BackendError) -> String
    ) throws(BackendError) -> Outcome {
        let (model, environment) = try target(action)
        let key = SandboxFleet.key(model: model, environment: environment)
        guard var deployment = fleet.deployments[key] else { throw notFound(model, environment, fleet) }
        let headline = try change(&deployment)
        deployment.revision += 1
        deployment.updatedBy = context.requester.name
        deployment.updatedAt = Date()
        fleet.deployments[key] = deployment
        return Outcome(status: .succeeded, headline: headline, facts: facts(deployment))
    }

    private func status(_ action: Action) async throws -> Outcome {
        let fleet = try await fleet()
        let model = action.optionalParameter("model")
        let environment = action.optionalParameter("env")
        let matching = fleet.deployments.values
            .filter { (model == nil || $0.model == model) && (environment == nil || $0.environment == environment) }
            .sorted { ($0.model, $0.environment) < ($1.model, $1.environment) }
        if matching.isEmpty {
            let scope = [model, environment].compactMap { $0 }.joined(separator: " in ")
            return Outcome(
                status: .succeeded, headline: "No sandbox deployments\(scope.isEmpty ? "" : " of \(scope)") yet. Try `deploy fraud-model v1`.")
        }
        let rows = matching.map { deployment in
            [
                deployment.model, deployment.environment, deployment.version, "\(deployment.replicas)",
                deployment.canaryVersion.map { "\($0) @ \(deployment.canaryPercent ?? 0)%" } ?? "–", deployment.rollout, "\(deployment.revision)",
            ]
        }
        let headline = "\(matching.count) deployment\(matching.count == 1 ? "" : "s"), all available."
        return Outcome(
            status: .succeeded, headline: headline, table: [["model", "env", "version", "replicas", "canary", "rollout", "revision"]] + rows)
    }

    private func metrics(_ action: Action) async throws -> Outcome {
        let (model, environment) = try Self.target(action)
        guard let deployment = try await fleet().deployments[SandboxFleet.key(model: model, environment: environment)] else {
            throw Self.notFound(model, environment, try await fleet())
        }
        return SandboxMetrics.outcome(for: deployment, window: action.optionalParameter("window").flatMap(Int.init) ?? 3_600)
    }

    static func facts(_ deployment: SandboxDeployment) -> [Fact] {
        var facts = [
            Fact("version", deployment.version), Fact("replicas", "\(deployment.replicas)/\(deployment.replicas) ready"),
            Fact("revision", "\(deployment.revision)"),
        ]
        if let canary = deployment.canaryVersion { facts.append(Fact("canary", "\(canary) at \(deployment.canaryPercent ?? 0)%")) }
        return facts
    }

    static func notFound(_ model: String, _ environment: String, _ fleet: SandboxFleet) -> BackendError {
        let known = fleet.deployments.keys.sorted()
        let close = EditDistance.closest(to: SandboxFleet.key(model: model, environment: environment), among: known)
        return BackendError(
            "There is no sandbox deployment of \(model) in \(environment)."
                + (close.isEmpty ? " Deploy it first." : " Known: \(close.joined(separator: ", "))."))
    }
}
