import ChatOpsCore
import Foundation
import KubernetesAPIDouble
import OpsBackends
import Testing

extension OutcomeCorpusRecorder {
    /// Deployments and evaluation Jobs on the Kubernetes API double, with the backend built as
    /// `KubernetesBackendTests` builds it, through `commands/examples/kubernetes/`. The double moves a
    /// rollout one replica per read; a backend polling every 2 s with a 1 s `deadline` sees it unfinished.
    static func kubernetesEntries() async throws -> [CorpusEntry] {
        try await KubernetesAPIDouble.run { double in
            for (name, namespace, version, replicas) in [
                ("fraud", "models-prod", "v11", 3), ("recsys", "models-prod", "v20", 4), ("churn", "models-prod", "v4", 3),
                ("churn", "models-staging", "v4", 2), ("ranker", "models-staging", "v7", 2), ("embedder", "models-staging", "v2", 2),
            ] {
                double.addDeployment(
                    name, namespace: namespace, image: "registry.internal/models/\(name):\(version)", replicas: replicas,
                    modelURI: "models:/\(name)/\(version)")
            }
            let backend = try KubernetesBackendTests.backend(double)
            let readOnly = try KubernetesBackendTests.backend(double, token: double.readOnlyToken)
            let expired = try KubernetesBackendTests.backend(double, token: "expired-token")
            let patient = KubernetesBackend(
                name: "k8s",
                client: try KubernetesClient(access: ClusterAccess(server: double.server, token: double.token, namespace: "models-prod")),
                pollInterval: .seconds(2))
            func cluster(_ operation: String, _ model: String, _ env: String, _ more: [String: String] = [:]) -> Action {
                action("k8s", operation, ["namespace": "models-\(env)", "name": model].merging(more) { $1 })
            }
            func deploy(_ model: String, _ version: String, _ env: String, _ more: [String: String] = [:]) -> Action {
                cluster(
                    "deploy", model, env,
                    ["image": "registry.internal/models/\(model):\(version)", "model_uri": "models:/\(model)/\(version)"].merging(more) { $1 })
            }
            func eval(_ model: String, _ version: String, _ dataset: String, image: String = "registry.internal/tools/evaluator:3") -> Action {
                action(
                    "k8s", "eval",
                    [
                        "namespace": "ml-eval", "name": "eval-\(model)", "image": image,
                        "arg1": "--model-uri", "arg2": "models:/\(model)/\(version)", "arg3": "--dataset", "arg4": dataset,
                    ])
            }
            let unfinished =
                Misreading.asSuccess + [
                    #"(?<!not )\ball (\d+ )?replicas (are )?(ready|available|up)"#, #"\bfully (rolled out|available|scaled|deployed)\b"#,
                    #"\brolled back\b"#,
                ]
            let scenarios: [CorpusScenario] = [
                .success(
                    "kubernetes/status", "status fraud", cluster("status", "fraud", "prod"),
                    entities: ["fraud", "models-prod", "prod", "v11", "models:/fraud/v11"],
                    forbidden: [#"\bv12\b"#, #"\bstaging\b"#, #"\b(rolling out|progressing|stalled|degraded)\b"#],
                    note:
                        "fraud in models-prod runs registry.internal/models/fraud:v11 (MODEL_URI models:/fraud/v11) with 3/3 replicas available, revision 1."
                ),
                .success(
                    "kubernetes/deploy", "deploy fraud v12 --env prod", deploy("fraud", "v12", "prod"),
                    entities: ["fraud", "v12", "models-prod", "prod", "models:/fraud/v12"],
                    forbidden: [#"\bv11\b"#, #"\bstaging\b"#, #"\b(stalled|rolled back|partial(ly)?)\b"#],
                    note: "fraud v12 (image and MODEL_URI) is rolled out in models-prod: 3/3 updated and available, revision 2."),
                .success(
                    "kubernetes/rollback", "rollback fraud --env prod", cluster("rollback", "fraud", "prod"),
                    entities: ["fraud", "models-prod", "prod", "v11"],
                    forbidden: [#"\b(runs|running|on|to) v12\b"#, #"\bto revision [23]\b"#, #"\bstaging\b"#],
                    note:
                        "fraud in models-prod was rolled back to revision 1's template (v11, models:/fraud/v11), 3/3 available; the deployment is now at revision 3."
                ),
                .failure(
                    "kubernetes/rollback-no-history", "rollback churn", cluster("rollback", "churn", "staging"),
                    entities: ["churn", "models-staging", "staging"],
                    forbidden: [
                        #"(?<!nothing )\b(was |has been )rolled back\b"#, #"(?<!be )(?<!not )\brolled back (to|from)\b"#, #"\bnot found\b"#,
                        #"\bforbidden\b"#,
                    ],
                    reasons: ["no earlier revision to roll back to"],
                    note: "Nothing changed: churn in models-staging is at revision 1 and has no earlier revision to roll back to."),
                .success(
                    "kubernetes/scale-up", "scale churn 5", cluster("scale", "churn", "staging", ["replicas": "5"]),
                    entities: ["churn", "models-staging", "staging"],
                    forbidden: [#"\bscaled? down\b"#, #"\bfrom 5 to 2\b"#, #"\bmodels-prod\b"#],
                    note: "churn in models-staging was scaled up from 2 to 5 replicas: 5/5 updated and available."),
                .success(
                    "kubernetes/scale-down", "scale recsys 1 --env prod", cluster("scale", "recsys", "prod", ["replicas": "1"]),
                    entities: ["recsys", "models-prod", "prod"],
                    forbidden: [#"\bscaled? up\b"#, #"\bfrom 1 to 4\b"#, #"\bincreas"#],
                    note: "recsys in models-prod was scaled down from 4 to 1 replica: 1/1 updated and available."),
                .success(
                    "kubernetes/scale-to-zero", "scale churn 0", cluster("scale", "churn", "staging", ["replicas": "0"]),
                    entities: ["churn", "models-staging", "staging"],
                    forbidden: [#"\bscaled? up\b"#, #"\b(still )?serving (traffic|requests)\b"#, #"\bfrom 0 to 5\b"#],
                    note: "churn in models-staging was scaled from 5 to 0 replicas; nothing serves it now."),
                .failure(
                    "kubernetes/scale-partial-rollout", "scale ranker 6", cluster("scale", "ranker", "staging", ["replicas": "6", "deadline": "1"]),
                    entities: ["ranker", "models-staging", "staging"],
                    misreadings: unfinished, forbidden: [#"\b6/6\b"#, #"\bscaled? down\b"#, #"\bstalled\b"#],
                    reasons: ["not rolled out after 1s", "1/6 updated"],
                    note:
                        "ranker in models-staging was asked to go from 2 to 6 replicas, but after 1 s only 1/6 were updated and available; the rollout had not finished.",
                    on: patient),
                .failure(
                    "kubernetes/deploy-partial-rollout", "deploy embedder v3", deploy("embedder", "v3", "staging", ["deadline": "1"]),
                    entities: ["embedder", "v3", "models-staging", "staging"],
                    misreadings: unfinished, forbidden: [#"\b2/2\b"#, #"\bstalled\b"#, #"\bv2 (is )?(gone|replaced)\b"#],
                    reasons: ["not rolled out after 1s", "1/2 updated"],
                    note:
                        "embedder v3 was applied in models-staging, but after 1 s only 1/2 replicas were updated and available; the rollout had not finished.",
                    on: patient),
                .failure(
                    "kubernetes/deploy-stalled", "deploy churn v5-broken --env prod", deploy("churn", "v5-broken", "prod"),
                    entities: ["churn", "v5-broken", "models-prod", "prod", "ImagePullBackOff"],
                    forbidden: [
                        #"\b(now )?(running|serving) v5"#, #"\bv5-broken (is )?(live|rolled out|available|ready)\b"#, #"\brolled back\b"#,
                        #"\bforbidden\b"#,
                    ],
                    reasons: ["rollout stalled", "imagepullbackoff"],
                    note:
                        "The deploy of churn v5-broken in models-prod stalled: ImagePullBackOff, the ReplicaSet timed out progressing; the old pods still count 3/3 available."
                ),
                .failure(
                    "kubernetes/status-not-found", "status ranker", cluster("status", "ranker", "prod"),
                    entities: ["ranker", "models-prod", "prod", "404"],
                    forbidden: [#"\b\d+/\d+ replicas\b"#, #"\bforbidden\b"#, #"\bunauthori[sz]ed\b"#],
                    reasons: ["not found", "404"],
                    note: "There is no deployment ranker in models-prod (404 Not Found)."),
                .failure(
                    "kubernetes/scale-forbidden", "scale fraud 6 --env prod", cluster("scale", "fraud", "prod", ["replicas": "6"]),
                    entities: ["fraud", "models-prod", "prod", "403", "deployments/scale"],
                    forbidden: [
                        #"(?<!not )(?<!n't )(?<!nothing )\b(was|been|got|is now) scaled\b"#, #"\bnot found\b"#,
                        #"\b(invalid|expired|wrong) (token|credentials)\b"#,
                    ],
                    reasons: ["403 forbidden", "may not patch deployments/scale", "chatops-readonly"],
                    note: "Not scaled: the bot's service account (chatops-readonly) may not patch deployments/scale in models-prod (403 Forbidden).",
                    on: readOnly),
                .failure(
                    "kubernetes/status-unauthorized", "status recsys", cluster("status", "recsys", "prod"),
                    entities: ["recsys", "models-prod", "prod", "401"],
                    forbidden: [#"\bnot found\b"#, #"\b\d+/\d+ replicas\b"#, #"\b(rbac|role|permission to (get|read))\b"#],
                    reasons: ["401 unauthorized", "did not accept the bot's credentials"],
                    note: "The cluster did not accept the bot's credentials (401 Unauthorized); nothing is known about recsys.",
                    on: expired),
                .success(
                    "kubernetes/eval", "eval fraud v12", eval("fraud", "v12", "holdout"),
                    entities: ["fraud", "v12", "holdout", "accuracy", "f1"],
                    forbidden: [#"\baccuracy\W+(of |is |was )?0\.88\b"#, #"\bf1\W+(of |is |was )?0\.931\b"#, #"\bv11\b"#],
                    note: "The evaluation job of fraud v12 on holdout completed: accuracy 0.931, f1 0.88."),
                .failure(
                    "kubernetes/eval-failed", "eval churn v9 --dataset jan_2025",
                    eval("churn", "v9", "jan_2025", image: "registry.internal/tools/evaluator-failing:3"),
                    entities: ["churn", "v9", "jan_2025", "eval-churn"],
                    forbidden: [#"\baccuracy\W+(of |is |was )?\d"#, #"\bf1\W+(of |is |was )?\d"#, #"\b(timed out|time limit)\b"#],
                    reasons: ["backoff limit", "dataset not found"],
                    note: "The evaluation job of churn v9 failed (backoff limit reached); its log says the dataset was not found. No scores."),
                .success(
                    "kubernetes/eval-ranker", "eval ranker v3 --dataset clicks_q3", eval("ranker", "v3", "clicks_q3"),
                    entities: ["ranker", "v3", "clicks_q3", "accuracy"],
                    forbidden: [#"\bholdout\b"#, #"\baccuracy\W+(of |is |was )?0\.88\b"#],
                    note: "The evaluation job of ranker v3 on clicks_q3 completed: accuracy 0.931, f1 0.88."),
            ]
            return try await Self.record("kubernetes", scenarios, on: backend)
        }
    }
}
