import Foundation

/// An evaluation run as kept: which model version ran on which dataset, for whom, its verdict, and
/// every case's result (so a later run pairs with it case by case).
public struct StoredEvalRun: Codable, Sendable, Equatable {
    public var id: String
    public var model: String
    /// The version evaluated, as typed (`latest` when none was given): a label kept with the run.
    public var version: String
    public var dataset: String
    public var requestedBy: Principal
    public var startedAt: Date
    public var finishedAt: Date
    /// A cancelled run is kept for its report but is never a baseline or evidence.
    public var cancelled: Bool
    /// Tokens the target spent (prompt and completion).
    public var promptTokens: Int
    public var completionTokens: Int
    /// `promote`, `hold` or `reject`, and the rule's sentence.
    public var verdict: String?
    public var reason: String?
    /// The run it was compared with.
    public var baselineRunID: String?
    public var cases: [CaseResult]
    /// The run's id in MLflow, when it was logged there.
    public var mlflowRunID: String?
    /// Where the cases were sent (`MLflow fraud-llm version 3 at https://…`).
    public var target: String?
    /// The key change against the baseline, for approval cards (`92% → 63% (−29.2 pp) against v11 on
    /// 24 paired cases; 7 pass → fail`); nil without a baseline.
    public var changes: String?

    public init(
        id: String, model: String, version: String, dataset: String, requestedBy: Principal, startedAt: Date, finishedAt: Date,
        cancelled: Bool = false, verdict: String? = nil, reason: String? = nil, baselineRunID: String? = nil, cases: [CaseResult],
        promptTokens: Int = 0, completionTokens: Int = 0, target: String? = nil
    ) {
        self.target = target
        self.id = id
        self.model = model
        self.version = version
        self.dataset = dataset
        self.requestedBy = requestedBy
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.cancelled = cancelled
        self.verdict = verdict
        self.reason = reason
        self.baselineRunID = baselineRunID
        self.cases = cases
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    /// The share of cases that passed.
    public var passRate: Double { cases.isEmpty ? 0 : Double(cases.filter(\.passed).count) / Double(cases.count) }
}

/// Where evaluation runs are kept: the baseline of the next run, and the evidence approvals check.
public protocol EvalRecords: Sendable {
    /// Keeps a run; recording the same id again changes nothing (a retried job), unless the kept run
    /// was cancelled (a job that lost its lease mid-run and ran again in full).
    func recordEvalRun(_ run: StoredEvalRun) async throws
    func evalRun(id: String) async throws -> StoredEvalRun?
    /// Notes the MLflow run a kept run was logged to.
    func linkEvalRun(id: String, mlflowRunID: String) async throws
    /// The newest run that was not cancelled of the query's model on its dataset, within its filters.
    func latestEvalRun(_ query: EvalRunQuery) async throws -> StoredEvalRun?
    /// Asks the run `runID` to stop; the first request is kept, a later one changes nothing.
    func requestEvalCancellation(_ request: EvalCancellation) async throws
    /// The request to stop the run `runID`, if anyone made one (on any replica).
    func evalCancellation(runID: String) async throws -> EvalCancellation?
}

/// Someone's request to stop a running evaluation (`/eval cancel <run>`): the run checks for one
/// while it runs, so the request may come through any replica.
public struct EvalCancellation: Codable, Sendable, Equatable {
    public var runID: String
    public var requestedBy: Principal
    public var requestedAt: Date

    public init(runID: String, requestedBy: Principal, requestedAt: Date) {
        self.runID = runID
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
    }
}

/// Which runs `latestEvalRun` looks among: a model's on a dataset, optionally only of one version, only
/// with one verdict, or only of versions other than one (the champion is not the candidate).
public struct EvalRunQuery: Sendable, Equatable {
    public var model: String
    public var dataset: String
    public var version: String?
    public var verdict: String?
    public var otherThanVersion: String?

    public init(model: String, dataset: String, version: String? = nil, verdict: String? = nil, otherThanVersion: String? = nil) {
        self.model = model
        self.dataset = dataset
        self.version = version
        self.verdict = verdict
        self.otherThanVersion = otherThanVersion
    }
}
