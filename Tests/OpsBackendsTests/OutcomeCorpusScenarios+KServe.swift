import ChatOpsCore
import Foundation
import KubernetesAPIDouble
import MLflowFixtures
import OpsBackends
import Testing

extension OutcomeCorpusRecorder {
    /// KServe InferenceServices on the Kubernetes API double, with versions resolved through the real
    /// MLflow registry (`CHATOPS_MLFLOW_URL`) as `KServeBackendTests` does, through
    /// `commands/examples/kserve/`. The registry holds fraud 1–3 (champion → 2, challenger → 3).
    static func kserveEntries() async throws -> [CorpusEntry] {
        let registry = try MLflowRegistry.fromEnvironment()
        let client = MLflowClient(baseURL: registry.url)
        let experiment = try await registry.experiment()
        let fraud = await unusedModelName("fraud", client)
        var runs: [String] = []
        for (index, auc) in [0.93, 0.95, 0.96].enumerated() {
            runs.append(try await registry.run(experiment: experiment, name: "fraud-train-\(index + 1)", metrics: ["auc": auc], params: [:]))
        }
        try await registry.model(fraud, runs: runs, aliases: ["champion": 2, "challenger": 3])

        return try await KubernetesAPIDouble.run { double in
            double.addInferenceService("fraud", namespace: "models-prod", storageURI: "s3://models/\(fraud)/1")
            double.addInferenceService("fraud", namespace: "models-staging", storageURI: "s3://models/\(fraud)/1")
            let backend = try KServeBackendTests.backend(double, registry: client)
            let readOnly = KServeBackend(
                name: "kserve",
                client: try KubernetesClient(access: ClusterAccess(server: double.server, token: double.readOnlyToken, namespace: "models-prod")),
                registry: client, pollInterval: .milliseconds(10))
            func serving(_ operation: String, _ model: String, _ env: String, _ more: [String: String] = [:]) -> Action {
                action("kserve", operation, ["namespace": "models-\(env)", "name": model].merging(more) { $1 })
            }
            func deploy(_ version: String, _ env: String, canary: String? = nil) -> Action {
                var more = ["registry_model": fraud, "version": version]
                if let canary { more["canary"] = canary }
                return serving("deploy", "fraud", env, more)
            }
            let scenarios: [CorpusScenario] = [
                .success(
                    "kserve/status", "status fraud", serving("status", "fraud", "prod"),
                    entities: ["fraud", "models-prod", "prod", "s3://models/\(fraud)/1", "fraud-predictor-00001"],
                    forbidden: [#"(?<!no )(?<!without a )\bcanary\b"#, #"\bnot ready\b"#, #"\bstaging\b"#],
                    note: "fraud in models-prod is ready, serving s3://models/\(fraud)/1 with all traffic on fraud-predictor-00001."),
                .success(
                    "kserve/deploy-canary", "deploy fraud challenger --env prod --canary 10", deploy("challenger", "prod", canary: "10"),
                    entities: ["fraud", "challenger", "models-prod", "prod", "s3://models/\(fraud)/3"],
                    forbidden: [
                        #"(?<!not )\b(all|100%) (of )?(the )?traffic\b"#, #"\bfully (rolled out|promoted)\b"#,
                        #"(?<!not )(?<!n't )\b(was|been|is now|got) promoted\b"#,
                        #"\b90% (of )?(the )?traffic (goes )?to (the )?(new|canary|challenger|version 3)"#,
                    ],
                    note:
                        "s3://models/\(fraud)/3 (the challenger) is deployed to fraud in models-prod as a canary: 10% of traffic to the new revision, 90% stays on the old one."
                ),
                .success(
                    "kserve/status-canary", "status fraud", serving("status", "fraud", "prod"),
                    entities: ["fraud", "models-prod", "prod", "fraud-predictor-00002"],
                    forbidden: [#"(?<!not )\b(all|100%) (of )?(the )?traffic\b"#, #"\bnot ready\b"#, #"\bs3://models/[\w-]+/[12]\b"#],
                    note:
                        "fraud in models-prod is ready with a canary: fraud-predictor-00002 (s3://models/\(fraud)/3) takes 10%, fraud-predictor-00001 90%."
                ),
                .success(
                    "kserve/promote", "promote fraud --env prod", serving("promote", "fraud", "prod"),
                    entities: ["fraud", "models-prod", "prod", "s3://models/\(fraud)/3"],
                    forbidden: [#"\brolled back\b"#, #"\bcanary (is )?(still )?(at )?10%"#, #"\bs3://models/[\w-]+/[12]\b"#],
                    note:
                        "The latest revision of fraud in models-prod now takes all traffic (fraud-predictor-00003 100%), serving s3://models/\(fraud)/3."
                ),
                .success(
                    "kserve/rollback", "rollback fraud --env prod", serving("rollback", "fraud", "prod"),
                    entities: ["fraud", "models-prod", "prod", "fraud-predictor-00002"],
                    forbidden: [
                        #"(?<!not )(?<!n't )\b(was|been|is now|got) promoted\b"#,
                        #"\b(all|100%) (of )?(the )?traffic (now )?(goes |is going )?to (the )?(new|latest)"#, #"\b(back )?to (version |v)?[12]\b"#,
                        #"\bs3://models/[\w-]+/[12]\b"#,
                    ],
                    note:
                        "fraud in models-prod sends all traffic back to its previous revision (fraud-predictor-00002 100%, the latest 0%); the spec still names s3://models/\(fraud)/3."
                ),
                .success(
                    "kserve/deploy", "deploy fraud champion", deploy("champion", "staging"),
                    entities: ["fraud", "champion", "models-staging", "staging", "s3://models/\(fraud)/2"],
                    forbidden: [#"(?<!no )(?<!without a )\bcanary\b"#, #"\bmodels-prod\b"#, #"\bs3://models/[\w-]+/[13]\b"#],
                    note:
                        "s3://models/\(fraud)/2 (the champion) is deployed to fraud in models-staging and ready, with all traffic on the new revision."
                ),
                .failure(
                    "kserve/deploy-missing-version", "deploy fraud v12", deploy("v12", "staging"),
                    entities: [fraud, "v12", "RESOURCE_DOES_NOT_EXIST"],
                    forbidden: [
                        #"(?<!nothing )\b(was|is now|has been) deployed\b"#, #"s3://models/[\w-]+/12\b"#,
                        #"\b(kubernetes|cluster|inferenceservice) (refused|rejected)"#, #"\bnot ready\b"#,
                    ],
                    reasons: ["resource_does_not_exist", "not found"],
                    note: "Nothing was deployed: MLflow has no version 12 of \(fraud) (RESOURCE_DOES_NOT_EXIST)."),
                .success(
                    "kserve/scale", "scale fraud 3", serving("scale", "fraud", "staging", ["min_replicas": "3"]),
                    entities: ["fraud", "models-staging", "staging"],
                    forbidden: [#"\b\d+/\d+ replicas\b"#, #"\bscaled? down\b"#, #"\bmodels-prod\b"#],
                    note: "fraud in models-staging was scaled and is ready; the outcome reports no replica counts (the command asked for at least 3)."
                ),
                .failure(
                    "kserve/status-not-found", "status ranker --env staging", serving("status", "ranker", "staging"),
                    entities: ["ranker", "models-staging", "staging", "404"],
                    forbidden: [#"\bis (not )?ready\b"#, #"\bforbidden\b"#, #"\bs3://"#],
                    reasons: ["not found", "404"],
                    note: "There is no InferenceService ranker in models-staging (404 Not Found)."),
                .failure(
                    "kserve/promote-forbidden", "promote fraud", serving("promote", "fraud", "staging"),
                    entities: ["fraud", "models-staging", "staging", "403", "inferenceservices"],
                    forbidden: [#"\bpromoted (the )?(latest|new)\b"#, #"\bnot found\b"#, #"\b(invalid|expired|wrong) (token|credentials)\b"#],
                    reasons: ["403 forbidden", "may not patch inferenceservices", "chatops-readonly"],
                    note:
                        "Not promoted: the bot's service account (chatops-readonly) may not patch inferenceservices in models-staging (403 Forbidden).",
                    on: readOnly),
            ]
            return try await Self.record("kserve", scenarios, on: backend)
        }
    }
}
