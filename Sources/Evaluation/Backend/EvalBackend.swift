import ChatOpsCore
import Foundation
import LLM
import Logging
import OpsBackends

/// The built-in evaluation backend: `operation: eval` runs a dataset against a target model, keeps the
/// run, compares it with its baseline and says whether to promote. Parameters: `model`, `version`
/// (a label kept with the run; `latest` when empty), `dataset`, `against` (`champion`, the default:
/// the newest run of the model on the dataset that was promoted, of another version; or the id of a
/// run on the same dataset, of any model). An eval longer than the backend's `action_timeout_ms`
/// (15 minutes unless set) is stopped: set it for large datasets. `operation: cancel` (parameter
/// `run`) asks a running eval to stop, through the store, so from any replica.
public struct EvalBackend: Backend {
    public static let supportedOperations: Set<String> = ["eval", "cancel"]
    public let name: String
    public var operations: Set<String> { Self.supportedOperations }
    let settings: EvalSettings
    let records: any EvalRecords
    let logger: Logger

    public init(name: String, settings: EvalSettings, records: any EvalRecords, logger: Logger) {
        self.name = name
        self.settings = settings
        self.records = records
        self.logger = logger
    }

    public func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        if action.operation == "cancel" { return try await cancel(run: action.parameter("run"), context: context) }
        let kept = try await records.evalRun(id: context.executionID)
        if let kept, !kept.cancelled { return try await report(of: kept) }
        if let request = try await records.evalCancellation(runID: context.executionID) {
            if let kept { return try await report(of: kept) }
            return Outcome(
                status: .failed, headline: "eval run `\(context.executionID)` was cancelled by \(request.requestedBy.name) before it started")
        }
        let model = try action.parameter("model")
        let dataset = try action.parameter("dataset")
        let target = try await settings.targets.resolve(model: model, version: action.optionalParameter("version"))
        let version = target.version ?? action.optionalParameter("version") ?? "latest"
        let (cases, problems) = try await EvalDatasets(source: settings.datasets).cases(named: dataset)
        guard !cases.isEmpty else { throw BackendError("the dataset `\(dataset)` has no valid case (\(problems.count) lines could not be read)") }
        let baseline = try await self.baseline(model: model, version: version, dataset: dataset, against: action.optionalParameter("against"))
        let runner = EvalRunner(
            target: OpenAICompatibleModel(settings: target.settings, logger: logger),
            judge: settings.judge.map { OpenAICompatibleModel(settings: $0, logger: logger) }, concurrency: settings.concurrency,
            caseTimeout: settings.caseTimeout)
        let startedAt = Date()
        let pacing = ProgressPacing(interval: settings.progressInterval)
        let (run, request) = await CancellationWatch(records: records, runID: context.executionID, interval: settings.cancellationPoll).run {
            await runner.run(cases) { progress in
                guard pacing.due(final: progress.done == progress.total) else { return }
                await context.progress(
                    "eval \(model) \(version): \(progress.done)/\(progress.total) cases, \(percent(progress.passRate)) passing. "
                        + "To stop it: `eval cancel \(context.executionID)`")
            }
        }
        let comparison = baseline.map { RunComparison(baseline: $0.cases, candidate: run.results) }
        let decision = settings.rule.decide(candidate: run.results, against: comparison)
        let stopped = "cancelled\(request.map { " by \($0.requestedBy.name)" } ?? "") after \(run.results.count) of \(cases.count) cases"
        var stored = StoredEvalRun(
            id: context.executionID, model: model, version: version, dataset: dataset, requestedBy: context.requester, startedAt: startedAt,
            finishedAt: Date(), cancelled: run.cancelled, verdict: run.cancelled ? nil : decision.verdict.rawValue,
            reason: run.cancelled ? stopped : decision.reason,
            baselineRunID: baseline?.id, cases: run.results, promptTokens: run.promptTokens, completionTokens: run.completionTokens,
            target: target.source)
        if let baseline, let overall = comparison?.overall, overall.paired > 0 {
            stored.changes =
                "\(percent(overall.baselinePassRate)) → \(percent(overall.candidatePassRate)) (\(signed(overall.difference))) against "
                + "\(baseline.version) on \(overall.paired) paired cases; \(overall.regressions.count) pass → fail"
        }
        try await records.recordEvalRun(stored)
        // Kept first: a job that runs again reports the kept run, and logs it if it was not.
        let (logged, logProblem) = await logToMLflow(stored, baseline: baseline)
        var outcome = EvalReport(run: logged, baseline: baseline, problems: problems).outcome
        if let logProblem { outcome.facts.append(Fact("mlflow", "not logged: \(logProblem)")) }
        return outcome
    }

    private func report(of kept: StoredEvalRun) async throws -> Outcome {
        var baseline: StoredEvalRun?
        if let id = kept.baselineRunID { baseline = try await records.evalRun(id: id) }
        let (logged, logProblem) = await logToMLflow(kept, baseline: baseline)
        var outcome = EvalReport(run: logged, baseline: baseline, problems: []).outcome
        if let logProblem { outcome.facts.append(Fact("mlflow", "not logged: \(logProblem)")) }
        return outcome
    }

    /// Logs a kept run to MLflow, when one is configured and the run is not linked to an MLflow run
    /// yet, and links it. A failure is reported with the run, not thrown: the eval itself is kept.
    private func logToMLflow(_ run: StoredEvalRun, baseline: StoredEvalRun?) async -> (StoredEvalRun, problem: String?) {
        guard let mlflow = settings.mlflow, run.mlflowRunID == nil else { return (run, nil) }
        do {
            let id = try await mlflow.log(run, baseline: baseline)
            try await records.linkEvalRun(id: run.id, mlflowRunID: id)
            var linked = run
            linked.mlflowRunID = id
            return (linked, nil)
        } catch let error as BackendError {
            return (run, error.message)
        } catch {
            return (run, "\(error)")
        }
    }

    /// Asks the run to stop; a finished run is left as it is.
    private func cancel(run id: String, context: ExecutionContext) async throws -> Outcome {
        if let kept = try await records.evalRun(id: id) {
            return Outcome(
                status: .failed, headline: "eval run `\(id)` already finished (\(kept.verdict ?? "cancelled")); there is nothing to stop")
        }
        try await records.requestEvalCancellation(EvalCancellation(runID: id, requestedBy: context.requester, requestedAt: Date()))
        return Outcome(
            status: .succeeded,
            headline:
                "asked eval run `\(id)` to stop: if it is running, it stops within seconds and posts the cases it finished in its thread")
    }

    /// The run to compare with: a named run, or the champion's newest promoted run of another version.
    private func baseline(model: String, version: String, dataset: String, against: String?) async throws -> StoredEvalRun? {
        if let against, against != "champion" {
            guard let run = try await records.evalRun(id: against) else { throw BackendError("no eval run `\(against)` to compare with") }
            guard run.dataset == dataset, !run.cancelled else {
                throw BackendError(
                    "eval run `\(against)` cannot be the baseline: it \(run.cancelled ? "was cancelled" : "ran on `\(run.dataset)`, not `\(dataset)`")"
                )
            }
            return run
        }
        return try await records.latestEvalRun(
            EvalRunQuery(model: model, dataset: dataset, verdict: Verdict.promote.rawValue, otherThanVersion: version))
    }
}
