import ChatOpsCore
import Foundation

/// The MLflow model registry and tracking server.
///
/// Operations (parameters are templates in the command's action):
/// - `resolve` (`model`, `version`): a version number (`12`, `v12`) or alias (`champion`) → the model
///   URI, run and aliases.
/// - `versions` (`model`): every version with its aliases, status and run.
/// - `promote` (`model`, `version`, `alias`): points the alias at the version, remembering the one it
///   pointed at before in the registered-model tag `chatops.previous.<alias>`.
/// - `rollback` (`model`, `alias`): points the alias back at that remembered version, or else at the
///   highest version below the current one.
/// - `run` (`run_id`, or `model` and `version`): a run's metrics and parameters, such as an evaluation.
/// - `compare` (`run_a`, `run_b`): two runs' metrics side by side.
///
/// Alias moves are recorded with the execution id and the chosen version (tag
/// `chatops.execution.<alias>`) before they are made, so a job retried after a crash finishes the
/// same move and never chooses again.
public struct MLflowBackend: Backend {
    public static let supportedOperations: Set<String> = ["resolve", "versions", "promote", "rollback", "run", "compare"]
    public var operations: Set<String> { Self.supportedOperations }
    public let name: String
    let client: MLflowClient

    public init(name: String, client: MLflowClient) {
        self.name = name
        self.client = client
    }

    public func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        switch action.operation {
        case "resolve":
            let version = try await resolve(action)
            return Outcome(
                status: .succeeded,
                headline: "\(version.name) \(try action.parameter("version")) is version \(version.version): \(Self.uri(version)).",
                facts: Self.facts(version))
        case "versions": return try await versions(action)
        case "promote": return try await promote(action, context)
        case "rollback": return try await rollback(action, context)
        case "run": return try await run(action)
        case "compare": return try await compare(action)
        default: throw BackendError("MLflow has no operation `\(action.operation)`")
        }
    }

    /// `12` and `v12` are version numbers; anything else is an alias.
    func resolve(_ action: Action) async throws -> MLflowClient.ModelVersion {
        try await client.version(try action.parameter("model"), reference: try action.parameter("version"))
    }

    static func uri(_ version: MLflowClient.ModelVersion) -> String { "models:/\(version.name)/\(version.version)" }

    static func facts(_ version: MLflowClient.ModelVersion) -> [Fact] {
        var facts = [Fact("version", version.version), Fact("model uri", uri(version))]
        if let aliases = version.aliases, !aliases.isEmpty { facts.append(Fact("aliases", aliases.sorted().joined(separator: ", "))) }
        if let run = version.runID, !run.isEmpty { facts.append(Fact("run", run)) }
        if let source = version.source { facts.append(Fact("source", source)) }
        if let status = version.status { facts.append(Fact("status", status)) }
        return facts
    }

    private func versions(_ action: Action) async throws -> Outcome {
        let model = try action.parameter("model")
        let versions = try await client.versions(model)
        guard !versions.isEmpty else { return Outcome(status: .failed, headline: "MLflow has no versions of `\(model)`.") }
        let rows = versions.map { ["\($0.version)", ($0.aliases ?? []).sorted().joined(separator: ", "), $0.status ?? "", $0.runID ?? ""] }
        return Outcome(
            status: .succeeded, headline: "\(model) has \(versions.count) version\(versions.count == 1 ? "" : "s").",
            table: [["version", "aliases", "status", "run"]] + rows)
    }

    private func promote(_ action: Action, _ context: ExecutionContext) async throws -> Outcome {
        let model = try action.parameter("model")
        let alias = try action.parameter("alias")
        if let done = try await resume(model, alias, context) { return done }
        let target = try await resolve(action)
        let current = try await client.version(model, aliasIfSet: alias)
        if current?.version == target.version {
            return Outcome(status: .succeeded, headline: "\(model)@\(alias) is version \(target.version).", facts: Self.facts(target))
        }
        await context.progress("pointing \(model)@\(alias) at version \(target.version)")
        try await move(model, alias, to: target.version, from: current?.version, context)
        var facts = Self.facts(try await client.version(model, target.version))
        facts.append(Fact("was", current.map { "version \($0.version)" } ?? "not set"))
        return Outcome(
            status: .succeeded, headline: "\(model)@\(alias) now points at version \(target.version)\(current.map { " (was \($0.version))" } ?? "").",
            facts: facts)
    }

    private func rollback(_ action: Action, _ context: ExecutionContext) async throws -> Outcome {
        let model = try action.parameter("model")
        let alias = try action.parameter("alias")
        if let done = try await resume(model, alias, context) { return done }
        let current = try await client.version(model, alias: alias)
        let remembered = try await client.modelTag(model, key: "chatops.previous.\(alias)")
        let target: String
        if let remembered, remembered != current.version {
            target = remembered
        } else if let lower = try await client.versions(model).first(where: { (Int($0.version) ?? 0) < (Int(current.version) ?? 0) }) {
            target = lower.version
        } else {
            return Outcome(
                status: .failed, headline: "\(model)@\(alias) is version \(current.version), and there is no earlier version to roll back to.")
        }
        await context.progress("pointing \(model)@\(alias) back at version \(target)")
        try await move(model, alias, to: target, from: current.version, context)
        var facts = Self.facts(try await client.version(model, target))
        facts.append(Fact("was", "version \(current.version)"))
        return Outcome(status: .succeeded, headline: "\(model)@\(alias) rolled back to version \(target) (was \(current.version)).", facts: facts)
    }

    /// Records the whole move (chosen and previous version) under the execution id before any of it
    /// is made, then remembers the previous version and moves the alias: a retry after a crash at any
    /// point finds the record and finishes the same move instead of choosing again.
    private func move(_ model: String, _ alias: String, to version: String, from previous: String?, _ context: ExecutionContext) async throws {
        try await client.setModelTag(
            model, key: "chatops.execution.\(alias)", value: ([context.executionID, version] + [previous].compactMap { $0 }).joined(separator: " "))
        try await finish(model, alias, to: version, from: previous)
    }

    private func finish(_ model: String, _ alias: String, to version: String, from previous: String?) async throws {
        if let previous { try await client.setModelTag(model, key: "chatops.previous.\(alias)", value: previous) }
        try await client.setAlias(model, alias: alias, version: version)
    }

    /// When this execution already chose a move (a job retried after a crash), completes it and reports it.
    private func resume(_ model: String, _ alias: String, _ context: ExecutionContext) async throws -> Outcome? {
        guard let record = try await client.modelTag(model, key: "chatops.execution.\(alias)"),
            record.hasPrefix(context.executionID + " ")
        else { return nil }
        let parts = record.dropFirst(context.executionID.count + 1).split(separator: " ").map(String.init)
        guard let version = parts.first else { return nil }
        try await finish(model, alias, to: version, from: parts.count > 1 ? parts[1] : nil)
        return Outcome(
            status: .succeeded, headline: "\(model)@\(alias) is version \(version).", facts: Self.facts(try await client.version(model, version)))
    }

    private func run(_ action: Action) async throws -> Outcome {
        let id: String
        var facts: [Fact] = []
        if let runID = action.optionalParameter("run_id") {
            id = runID
        } else {
            let version = try await resolve(action)
            guard let runID = version.runID, !runID.isEmpty else {
                return Outcome(status: .failed, headline: "\(version.name) version \(version.version) has no run to read results from.")
            }
            id = runID
            facts.append(Fact("model", "\(version.name) version \(version.version)"))
        }
        let run = try await client.run(id)
        facts.append(contentsOf: run.metrics.keys.sorted().map { Fact($0, TemplateSummarizer.format(run.metrics[$0]!)) })
        let params = run.params.keys.sorted().map { [$0, run.params[$0]!] }
        return Outcome(
            status: .succeeded,
            headline: "Run \(run.name ?? id) (\(run.status ?? "unknown")): \(run.metrics.count) metric\(run.metrics.count == 1 ? "" : "s").",
            facts: facts, table: params.isEmpty ? [] : [["parameter", "value"]] + params)
    }

    private func compare(_ action: Action) async throws -> Outcome {
        let first = try await client.run(try action.parameter("run_a"))
        let second = try await client.run(try action.parameter("run_b"))
        let keys = Set(first.metrics.keys).union(second.metrics.keys).sorted()
        let rows = keys.map { key -> [String] in
            let a = first.metrics[key], b = second.metrics[key]
            let change = a.flatMap { a in b.map { TemplateSummarizer.format((($0 - a) * 10_000).rounded() / 10_000) } } ?? "–"
            return [
                key, a.map(TemplateSummarizer.format) ?? "–", b.map(TemplateSummarizer.format) ?? "–",
                change.hasPrefix("-") || change == "–" ? change : "+" + change,
            ]
        }
        return Outcome(
            status: .succeeded,
            headline: "\(first.name ?? first.id) against \(second.name ?? second.id): \(keys.count) metric\(keys.count == 1 ? "" : "s").",
            table: [["metric", first.name ?? "a", second.name ?? "b", "change"]] + rows)
    }
}
