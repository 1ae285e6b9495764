import Foundation
import LLM

/// How the `eval` backend finds datasets, targets and its judge.
public struct EvalSettings: Sendable {
    /// Where datasets are: `--dataset holdout` reads `holdout.jsonl` in the folder or under the URL.
    public var datasets: EvalDatasets.Source
    /// The models `/eval` may name: of `llm.models`, in MLflow's registry, or served by KServe.
    public var targets: EvalTargets
    /// Where finished runs are logged in MLflow, if anywhere.
    public var mlflow: MLflowEvalLog?
    /// The model that scores `judge` checks, if any.
    public var judge: OpenAICompatibleModel.Settings?
    public var concurrency: Int
    public var caseTimeout: Duration
    public var rule: VerdictRule
    /// Progress is reported at most this often (chat platforms limit message edits), and at the end.
    public var progressInterval: Duration = .seconds(3)
    /// How often a running eval looks for `eval cancel`.
    public var cancellationPoll: Duration = .seconds(1)

    public init(
        datasets: EvalDatasets.Source, targets: EvalTargets, judge: OpenAICompatibleModel.Settings? = nil, concurrency: Int = 4,
        caseTimeout: Duration = .seconds(60), rule: VerdictRule = VerdictRule()
    ) {
        self.datasets = datasets
        self.targets = targets
        self.judge = judge
        self.concurrency = concurrency
        self.caseTimeout = caseTimeout
        self.rule = rule
    }
}
