import ChatOpsCore
import Foundation
import LLM
import OpsBackends

/// Logs finished eval runs to MLflow, in one experiment: parameters (model, version, dataset,
/// baseline), metrics (pass rates overall, per check and per slice, latency percentiles, tokens,
/// errors, and, over the cases paired with the baseline, both pass rates and the change), tags (the
/// verdict and its rule, who asked, the bot's run id) and the per-case report as the artifact
/// `cases.jsonl`, all with secrets redacted. A run already logged under the bot's run id with the
/// same ending (a job that ran again) is not logged twice; one an attempt left running is ended as KILLED.
public struct MLflowEvalLog: Sendable {
    public let client: MLflowClient
    public let experiment: String
    let redactor: SecretRedactor
    /// The tag that carries the bot's run id.
    static let runTag = "chatops.eval_run"

    public init(client: MLflowClient, experiment: String, redactor: SecretRedactor = SecretRedactor()) {
        self.client = client
        self.experiment = experiment
        self.redactor = redactor
    }

    /// - Returns: the MLflow run's id.
    public func log(_ kept: StoredEvalRun, baseline: StoredEvalRun?) async throws(BackendError) -> String {
        let run = redacted(kept)
        let experimentID = try await client.experimentID(named: experiment)
        let ending = run.cancelled ? "KILLED" : "FINISHED"
        let earlier = try await client.runs(in: experimentID, taggedWith: Self.runTag, run.id)
        if let logged = earlier.first(where: { $0.status == ending }) { return logged.run.id }
        // A run an earlier attempt left running may hold another attempt's parameters: it is ended, not reused.
        for stale in earlier where stale.status == "RUNNING" { try await client.endRun(stale.run.id, status: "KILLED", at: run.finishedAt) }
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
        try await client.endRun(created.id, status: ending, at: run.finishedAt)
        return created.id
    }

    /// The run with secrets removed from every text a model or a target wrote: answers, check
    /// details, errors and the rule.
    func redacted(_ run: StoredEvalRun) -> StoredEvalRun {
        var clean = run
        clean.reason = run.reason.map(redactor.redact)
        clean.cases = run.cases.map { result in
            var result = result
            result.answer = result.answer.map(redactor.redact)
            result.error = result.error.map(redactor.redact)
            result.checks = result.checks.map { check in
                switch check.verdict {
                case .pass: check
                case .fail(let detail): CheckOutcome(kind: check.kind, verdict: .fail(redactor.redact(detail)))
                case .error(let detail): CheckOutcome(kind: check.kind, verdict: .error(redactor.redact(detail)))
                }
            }
            return result
        }
        return clean
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
                ("paired_cases", Double(overall.paired)), ("paired_baseline_pass_rate", overall.baselinePassRate),
                ("paired_pass_rate", overall.candidatePassRate), ("paired_pass_rate_change", overall.difference), ("p_value", overall.pValue),
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
