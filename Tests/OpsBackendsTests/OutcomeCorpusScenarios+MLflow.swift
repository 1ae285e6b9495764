import ChatOpsCore
import Foundation
import MLflowFixtures
import OpsBackends
import Testing

extension OutcomeCorpusRecorder {
    /// The real MLflow registry `scripts/test` starts (`CHATOPS_MLFLOW_URL`), filled through
    /// `MLflowRegistry` as `MLflowBackendTests` does: churn with versions 1–3 (champion → 2,
    /// challenger → 3), ranker with version 1 (champion) and a version 2 registered without a run.
    /// Commands: `models` and `promote-alias` (`commands/examples/more/`), `rollback-alias` (named
    /// there), and `resolve`, `results` and `compare` for the other operations.
    static func mlflowEntries() async throws -> [CorpusEntry] {
        let registry = try MLflowRegistry.fromEnvironment()
        let client = MLflowClient(baseURL: registry.url)
        let experiment = try await registry.experiment()
        let churn = await unusedModelName("churn", client)
        let ranker = await unusedModelName("ranker", client)
        let recsys = await unusedModelName("recsys", client)
        var runs: [String] = []
        for (index, accuracy) in [0.88, 0.91, 0.94].enumerated() {
            runs.append(
                try await registry.run(
                    experiment: experiment, name: "churn-train-\(index + 1)", metrics: ["accuracy": accuracy, "auc": accuracy + 0.03],
                    params: ["max_depth": "\(6 + index)", "learning_rate": "0.05"]))
        }
        try await registry.model(churn, runs: runs, aliases: ["champion": 2, "challenger": 3])
        let rankerRun = try await registry.run(
            experiment: experiment, name: "ranker-train-1", metrics: ["ndcg_at_10": 0.412], params: ["epochs": "20"])
        try await registry.model(ranker, runs: [rankerRun], aliases: ["champion": 1])
        try await registry.post("model-versions/create", ["name": .string(ranker), "source": .string("s3://models/\(ranker)/2")])

        func mlflow(_ operation: String, _ parameters: [String: String]) -> Action { action("registry", operation, parameters) }
        let scenarios: [CorpusScenario] = [
            .success(
                "mlflow/resolve-champion", "resolve \(churn) champion", mlflow("resolve", ["model": churn, "version": "champion"]),
                entities: [churn, "champion", "models:/\(churn)/2"],
                forbidden: [#"\b(is|points (at|to)) (version )?[13]\b"#, #"\bchallenger\b"#, #"\bnot found\b"#],
                note: "\(churn)@champion is version 2 (models:/\(churn)/2), status READY."),
            .success(
                "mlflow/resolve-version", "resolve \(churn) v3", mlflow("resolve", ["model": churn, "version": "v3"]),
                entities: [churn, "v3", "models:/\(churn)/3", "challenger"],
                forbidden: [#"\b(is|as) (the )?champion\b"#, #"\bversion [12]\b"#],
                note: "\(churn) v3 is version 3 (models:/\(churn)/3), the challenger."),
            .failure(
                "mlflow/resolve-missing-version", "resolve \(churn) v12", mlflow("resolve", ["model": churn, "version": "v12"]),
                entities: [churn, "v12", "RESOURCE_DOES_NOT_EXIST"],
                forbidden: [#"\bis version 12\b"#, #"models:/[\w-]+/12\b"#, #"\balias\b"#, #"\bpermission\b"#],
                reasons: ["resource_does_not_exist", "not found"],
                note: "MLflow has no version 12 of \(churn) (RESOURCE_DOES_NOT_EXIST: model version not found)."),
            .failure(
                "mlflow/resolve-unknown-alias", "resolve \(churn) nightly", mlflow("resolve", ["model": churn, "version": "nightly"]),
                entities: [churn, "nightly", "INVALID_PARAMETER_VALUE"],
                forbidden: [
                    #"\bnightly (is|points (at|to)) (version )?\d"#, #"\bmodels:/"#, #"\bmodel (does not exist|is not registered|was not found)\b"#,
                ],
                reasons: ["invalid_parameter_value", "alias nightly not found"],
                note: "The alias nightly is not set on \(churn) (MLflow: INVALID_PARAMETER_VALUE, alias not found); the model itself exists."),
            .success(
                "mlflow/versions", "models \(churn)", mlflow("versions", ["model": churn]),
                entities: [churn, "champion", "challenger"],
                forbidden: [
                    #"\b(2|two|4|four) versions\b"#, #"\bversion 1 is (the )?(champion|challenger)\b"#,
                    #"\bchampion (is|points (at|to)) (version )?[13]\b"#,
                ],
                note: "\(churn) has 3 versions: 3 is the challenger, 2 the champion, 1 has no alias; all READY."),
            .failure(
                "mlflow/versions-unknown-model", "models \(recsys)", mlflow("versions", ["model": recsys]),
                entities: [recsys, "RESOURCE_DOES_NOT_EXIST"],
                forbidden: [#"\bhas \d+ versions?\b"#, #"\bpermission\b"#, #"\bmlflow (is |was )?(down|unreachable)\b"#],
                reasons: ["resource_does_not_exist", "not found"],
                note: "MLflow has no registered model \(recsys) (RESOURCE_DOES_NOT_EXIST)."),
            .success(
                "mlflow/promote", "promote-alias \(churn) 3", mlflow("promote", ["model": churn, "version": "3", "alias": "champion"]),
                entities: [churn, "champion"],
                forbidden: [
                    #"\bfrom (version )?3 to (version )?2\b"#, #"\bnow points (at|to) (version )?2\b"#, #"\brolled back\b"#,
                    #"\bchallenger (now )?(points|is) (at |to )?(version )?2\b"#,
                ],
                note: "\(churn)@champion now points at version 3 (it was version 2); version 3 keeps the challenger alias too."),
            .success(
                "mlflow/promote-unchanged", "promote-alias \(churn) 3", mlflow("promote", ["model": churn, "version": "3", "alias": "champion"]),
                entities: [churn, "champion"],
                forbidden: [#"\bnow points\b"#, #"\b(was|from) (version )?2\b"#, #"\bpromoted (from|to)\b"#, #"\brolled back\b"#],
                note: "Nothing changed: \(churn)@champion already is version 3."),
            .success(
                "mlflow/rollback-alias", "rollback-alias \(churn)", mlflow("rollback", ["model": churn, "alias": "champion"]),
                entities: [churn, "champion"],
                forbidden: [
                    #"\b(back )?to (version )?(1|3)\b"#, #"\bnow (on|at|points at) (version )?3\b"#,
                    #"(?<!not )(?<!n't )\b(was|been|is now|got) promoted\b"#,
                ],
                note: "\(churn)@champion was rolled back to version 2 (it was 3)."),
            .failure(
                "mlflow/rollback-nothing-earlier", "rollback-alias \(ranker)", mlflow("rollback", ["model": ranker, "alias": "champion"]),
                entities: [ranker, "champion"],
                forbidden: [
                    #"(?<!nothing )\b(was |has been )rolled back\b"#, #"(?<!be )(?<!not )\brolled back to\b"#,
                    #"\bnow (points at |on |at )?(version )?2\b"#, #"\bnot found\b"#,
                ],
                reasons: ["no earlier version to roll back to"],
                note: "Nothing changed: \(ranker)@champion is version 1 and there is no earlier version to roll back to."),
            .success(
                "mlflow/results", "results \(churn) challenger", mlflow("run", ["model": churn, "version": "challenger"]),
                entities: [churn, "challenger", "churn-train-3", "accuracy", "auc"],
                forbidden: [#"\baccuracy\W+(of |is |was )?0\.(88|91|97)\b"#, #"\bauc\W+(of |is |was )?0\.(91|94)\b"#, #"\bversion 2\b"#],
                note: "Run churn-train-3 (\(churn) version 3, the challenger): accuracy 0.94, auc 0.97, with its parameters."),
            .failure(
                "mlflow/results-no-run", "results \(ranker) v2", mlflow("run", ["model": ranker, "version": "v2"]),
                entities: [ranker, "v2"],
                forbidden: [#"\bndcg\b"#, #"\bversion 1\b"#, #"\bnot found\b"#, #"\b\d+ metrics?\b"#],
                reasons: ["no run to read results from"],
                note: "\(ranker) version 2 was registered without a run, so there are no results to read."),
            .success(
                "mlflow/compare", "compare \(runs[1]) \(runs[2])", mlflow("compare", ["run_a": runs[1], "run_b": runs[2]]),
                entities: ["churn", "churn-train-2", "churn-train-3", "accuracy", "auc"],
                forbidden: [#"\b(accuracy|auc)\W+(dropped|fell|decreased|regressed|got worse|went down)"#, #"-0\.03\b"#],
                note: "churn-train-3 against churn-train-2: accuracy 0.91 → 0.94 and auc 0.94 → 0.97, both +0.03."),
            .failure(
                "mlflow/promote-unknown-model", "promote-alias \(recsys) 1",
                mlflow("promote", ["model": recsys, "version": "1", "alias": "champion"]),
                entities: [recsys, "RESOURCE_DOES_NOT_EXIST"],
                forbidden: [#"\bnow points\b"#, #"\bpromoted (to|from)\b"#, #"\bversion 1 (is|was) (the )?champion\b"#],
                reasons: ["resource_does_not_exist", "not found"],
                note: "Nothing was promoted: MLflow has no registered model \(recsys)."),
        ]
        return try await record("mlflow", scenarios, on: MLflowBackend(name: "registry", client: client))
    }

    /// `base` when MLflow has no model of that name (a fresh server, as `scripts/test` starts),
    /// else `base` with a random suffix, so recording twice against one server works.
    static func unusedModelName(_ base: String, _ client: MLflowClient) async -> String {
        (try? await client.versions(base)) == nil ? base : "\(base)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
