import ChatOpsCore
import Foundation
import OpsBackends

/// Logs finished eval runs to MLflow, in one experiment: parameters (model, version, dataset,
/// baseline), metrics (pass rates overall, per check and per slice, latency percentiles, tokens,
/// errors, and the change against the baseline), tags (the verdict and its rule, who asked, the
/// bot's run id) and the per-case report as the artifact `cases.jsonl`. A run already logged under
/// the bot's run id (a job that ran again) is not logged twice.
public struct MLflowEvalLog: Sendable {
    public let client: MLflowClient
    public let experiment: String
    /// The tag that carries the bot's run id.
    static let runTag = "chatops.eval_run"

    public init(client: MLflowClient, experiment: String) {
        self.client = client
        self.experiment = experiment
    }

    /// - Returns: the MLflow run's id.
    public func log(_ run: StoredEvalRun, baseline: StoredEvalRun?) async throws(BackendError) -> String {
        let experimentID = try await client.experimentID(named: experiment)
        if let (logged, status) = try await client.run(in: experimentID, taggedWith: Self.runTag, run.id), status != "RUNNING" { return logged.id }
        let created = try await client.createRun(
            in: experimentID, name: "eval \(run.model) \(run.version) on \(run.dataset)", startTime: run.startedAt,
            tags: [.init(key: Self.runTag, value: run.id)])
        let comparison = baseline.map { RunComparison(baseline: $0.cases, candidate: run.cases) }
        try await client.log(
            run: created.id, metrics: Self.metrics(RunSummary(run.cases), comparison, run),
            params: [("model", run.model), ("version", run.version), ("dataset", run.dataset), ("baseline_run", baseline?.id ?? "none")],
            tags: [
                .init(key: "chatops.verdict", value: run.verdict ?? "cancelled"),
                .init(key: "chatops.rule", value: String((run.reason ?? "").prefix(5_000))),
                .init(key: "chatops.requested_by", value: run.requestedBy.name),
            ], at: run.finishedAt)
        try await client.uploadArtifact(
            CaseReport.jsonl(run.cases, baseline: baseline?.cases), named: CaseReport.fileName, contentType: "application/x-ndjson", to: created)
        try await client.endRun(created.id, status: run.cancelled ? "KILLED" : "FINISHED", at: run.finishedAt)
        return created.id
    }

    static func metrics(_ summary: RunSummary, _ comparison: RunComparison?, _ run: StoredEvalRun) -> [(String, Double)] {
        var metrics: [(String, Double)] = [
            ("pass_rate", summary.overall.value), ("cases", Double(summary.overall.total)), ("passed", Double(summary.overall.passed)),
            ("errors", Double(summary.errors)), ("prompt_tokens", Double(run.promptTokens)), ("completion_tokens", Double(run.completionTokens)),
        ]
        if let latency = summary.latency {
            metrics += [("latency_p50_ms", latency.p50), ("latency_p95_ms", latency.p95), ("latency_p99_ms", latency.p99)]
        }
        metrics += summary.byCheck.sorted { $0.key < $1.key }.map { ("pass_rate.check.\(key($0.key))", $0.value.value) }
        metrics += summary.bySlice.sorted { $0.key < $1.key }.map { ("pass_rate.slice.\(key($0.key))", $0.value.value) }
        if let overall = comparison?.overall {
            metrics += [
                ("baseline_pass_rate", overall.baselinePassRate), ("pass_rate_change", overall.difference), ("p_value", overall.pValue),
                ("pass_to_fail", Double(overall.regressions.count)), ("fail_to_pass", Double(overall.improvements.count)),
            ]
        }
        return metrics
    }

    /// A slice or check name as a metric key: MLflow allows letters, digits, `_ - . /` and spaces.
    static func key(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_-./ ".contains($0)) ? $0 : "_" }.prefix(200))
    }
}
