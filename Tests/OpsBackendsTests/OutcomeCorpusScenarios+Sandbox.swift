import ChatOpsCore
import Foundation
import OpsBackends
import Testing

extension OutcomeCorpusRecorder {
    /// The sandbox in-process, as `chatops serve` runs it (without the step delay), through the
    /// commands in `commands/`. The scenarios run in order on one fleet.
    static func sandboxEntries() async throws -> [CorpusEntry] {
        let backend = SandboxBackend(store: InMemorySandboxState(), stepDelay: .zero)
        func sandbox(_ operation: String, _ parameters: [String: String]) -> Action { action("sandbox", operation, parameters) }
        let scenarios: [CorpusScenario] = [
            .success(
                "sandbox/status-empty", "status", sandbox("status", [:]),
                entities: ["fraud-model"], forbidden: [#"\b\d+ deployments?, all available\b"#, #"\bfraud-model (is )?(deployed|running)\b"#],
                note: "The sandbox has no deployments yet; it suggests deploying one."),
            .failure(
                "sandbox/rollback-no-deployment", "rollback fraud", sandbox("rollback", ["model": "fraud", "env": "staging"]),
                entities: ["fraud", "staging"],
                forbidden: [
                    #"(?<!nothing )\b(was|has been|got) rolled back\b"#, #"(?<!be )(?<!not )\brolled back (fraud|to|from)\b"#,
                    #"\b(now )?(runs|running) v\d+"#,
                ],
                reasons: ["no sandbox deployment", "deploy it first"],
                note: "Nothing was rolled back: fraud has no sandbox deployment in staging; deploy it first."),
            .failure(
                "sandbox/metrics-no-deployment", "metrics churn", sandbox("metrics", ["model": "churn", "env": "prod", "window": "3600"]),
                entities: ["churn", "prod"],
                forbidden: [#"\b\d+(\.\d+)? ?(req/s|requests per second|ms)\b"#, #"\berror rate (is|was|of) \d"#],
                reasons: ["no sandbox deployment", "deploy it first"],
                note: "No metrics: churn has no sandbox deployment in prod; deploy it first."),
            .success(
                "sandbox/deploy-fraud-staging", "deploy fraud v3", sandbox("deploy", ["model": "fraud", "version": "v3", "env": "staging"]),
                entities: ["fraud", "v3", "staging"], forbidden: [#"\bprod(uction)?\b"#, #"(?<!no )(?<!without a )\bcanary\b"#, #"\b\(?was v\d"#],
                note: "fraud v3 is deployed to staging (its first deployment there), 2/2 replicas ready."),
            .failure(
                "sandbox/rollback-no-history", "rollback fraud", sandbox("rollback", ["model": "fraud", "env": "staging"]),
                entities: ["fraud", "staging", "v3"],
                forbidden: [
                    #"(?<!nothing )\b(was|has been|got) rolled back\b"#, #"(?<!be )(?<!not )\brolled back (fraud |it )?(to|from)\b"#, #"\bv2\b"#,
                ],
                reasons: ["no earlier version to roll back to", "it runs v3"],
                note: "Nothing changed: fraud in staging runs v3 and has no earlier version to roll back to."),
            .success(
                "sandbox/deploy-fraud-staging-upgrade", "deploy fraud v4", sandbox("deploy", ["model": "fraud", "version": "v4", "env": "staging"]),
                entities: ["fraud", "v4", "v3", "staging"], forbidden: [#"\brolled back\b"#, #"\bprod(uction)?\b"#, #"\bfrom v4 to v3\b"#],
                note: "fraud v4 is deployed to staging, replacing v3; 2/2 replicas ready."),
            .success(
                "sandbox/scale-up", "scale fraud 5", sandbox("scale", ["model": "fraud", "replicas": "5", "env": "staging"]),
                entities: ["fraud", "staging"], forbidden: [#"\bscaled? down\b"#, #"\bfrom 5 to 2\b"#, #"\bprod(uction)?\b"#],
                note: "fraud in staging was scaled up from 2 to 5 replicas (5/5 ready); it still runs v4."),
            .success(
                "sandbox/scale-down", "scale fraud 3", sandbox("scale", ["model": "fraud", "replicas": "3", "env": "staging"]),
                entities: ["fraud", "staging"], forbidden: [#"\bscaled? up\b"#, #"\bfrom 3 to 5\b"#, #"\bincreas"#],
                note: "fraud in staging was scaled down from 5 to 3 replicas (3/3 ready)."),
            .success(
                "sandbox/rollback-staging", "rollback fraud", sandbox("rollback", ["model": "fraud", "env": "staging"]),
                entities: ["fraud", "staging", "v4", "v3"],
                forbidden: [#"\bfrom v3 to v4\b"#, #"\b(back )?to v4\b"#, #"\bnow (runs|running|on) v4\b"#, #"\bprod(uction)?\b"#],
                note: "fraud in staging was rolled back from v4 to v3; 3 replicas ready."),
            .success(
                "sandbox/deploy-churn-prod", "deploy churn v12 --env prod", sandbox("deploy", ["model": "churn", "version": "v12", "env": "prod"]),
                entities: ["churn", "v12", "prod"], forbidden: [#"\bstaging\b"#, #"(?<!no )(?<!without a )\bcanary\b"#, #"\bv13\b"#],
                note: "churn v12 is deployed to prod (first deployment there), 2/2 replicas ready."),
            .success(
                "sandbox/deploy-churn-prod-canary", "deploy churn v13 --env prod --canary 10",
                sandbox("deploy", ["model": "churn", "version": "v13", "env": "prod", "canary": "10"]),
                entities: ["churn", "v13", "v12", "prod"],
                forbidden: [
                    #"(?<!not )\b(all|100%) (of )?(the )?traffic\b"#, #"\bv13 (is )?(now )?(fully )?(live|serving all)"#,
                    #"\b90% (of )?(the )?traffic (goes )?to v13\b"#, #"\breplaced v12\b"#,
                ],
                note: "v13 of churn in prod is a canary taking 10% of traffic; v12 stays the main version."),
            .success(
                "sandbox/status-churn-prod", "status churn --env prod", sandbox("status", ["model": "churn", "env": "prod"]),
                entities: ["churn", "prod", "v12", "v13"],
                forbidden: [#"\bv13 (is )?(the )?(main|primary|current) version\b"#, #"\bno (sandbox )?deployments?\b"#],
                note: "churn in prod runs v12 on 2 replicas with a v13 canary at 10%, rollout available, revision 2."),
            .success(
                "sandbox/rollback-canary", "rollback churn --env prod", sandbox("rollback", ["model": "churn", "env": "prod"]),
                entities: ["churn", "prod", "v12"],
                forbidden: [#"\bv11\b"#, #"\bnow (runs|running|on) v13\b"#, #"\bv13 (is )?(still )?(taking|serving|live)"#],
                note: "The rollback dropped churn's canary in prod; it runs v12 with no canary (the headline says from v12 to v12)."),
            .success(
                "sandbox/deploy-ranker-prod", "deploy ranker v21 --env prod",
                sandbox("deploy", ["model": "ranker", "version": "v21", "env": "prod"]),
                entities: ["ranker", "v21", "prod"], forbidden: [#"\bstaging\b"#, #"\b\(?was v\d"#],
                note: "ranker v21 is deployed to prod, 2/2 replicas ready."),
            .success(
                "sandbox/scale-ranker-up-prod", "scale ranker 8 --env prod", sandbox("scale", ["model": "ranker", "replicas": "8", "env": "prod"]),
                entities: ["ranker", "prod"], forbidden: [#"\bscaled? down\b"#, #"\bfrom 8 to 2\b"#],
                note: "ranker in prod was scaled up from 2 to 8 replicas (8/8 ready)."),
            .success(
                "sandbox/scale-ranker-zero-prod", "scale ranker 0 --env prod", sandbox("scale", ["model": "ranker", "replicas": "0", "env": "prod"]),
                entities: ["ranker", "prod"], forbidden: [#"\bscaled? up\b"#, #"\bfrom 0 to 8\b"#, #"\b(still )?serving (traffic|requests)\b"#],
                note: "ranker in prod was scaled down from 8 to 0 replicas; nothing serves it now."),
            .failure(
                "sandbox/scale-no-deployment", "scale recsys 4 --env prod", sandbox("scale", ["model": "recsys", "replicas": "4", "env": "prod"]),
                entities: ["recsys", "prod"], forbidden: [#"(?<!not )(?<!n't )(?<!nothing )\b(was|been|got|is now) scaled\b"#, #"\b4/4\b"#],
                reasons: ["no sandbox deployment", "deploy it first"],
                note: "Nothing was scaled: recsys has no sandbox deployment in prod; deploy it first."),
            .failure(
                "sandbox/metrics-typo", "metrics fruad --env staging", sandbox("metrics", ["model": "fruad", "env": "staging", "window": "3600"]),
                entities: ["fruad", "staging", "fraud@staging"],
                forbidden: [#"\b\d+(\.\d+)? ?(req/s|requests per second|ms)\b"#, #"\bfraud (in staging )?(has|shows|served)\b"#],
                reasons: ["no sandbox deployment", "known: fraud@staging"],
                note: "No metrics: there is no sandbox deployment of fruad in staging; the known one is fraud@staging."),
            .success(
                "sandbox/metrics-fraud-staging", "metrics fraud --env staging",
                sandbox("metrics", ["model": "fraud", "env": "staging", "window": "3600"]),
                entities: ["fraud", "v3", "staging", "requests/s", "p95 latency", "error rate"],
                misreadings: [],
                forbidden: [#"\bv4\b"#, #"\bprod(uction)?\b"#, #"\bno (data|metrics)\b"#, #"\b(the )?(metrics|query|command) failed\b"#],
                note:
                    "Simulated serving metrics of fraud v3 in staging over the last hour: requests per second, p95 latency, error rate and 3 replicas."
            ),
            .success(
                "sandbox/metrics-churn-prod-6h", "metrics churn --window 6h",
                sandbox("metrics", ["model": "churn", "env": "prod", "window": "21600"]),
                entities: ["churn", "v12", "prod", "requests/s", "p95 latency"],
                misreadings: [],
                forbidden: [
                    #"\bv13\b"#, #"\bstaging\b"#, #"\b(last|past) (1 ?h|hour)\b"#, #"\bno (data|metrics)\b"#,
                    #"\b(the )?(metrics|query|command) failed\b"#,
                ],
                note: "Simulated serving metrics of churn v12 in prod over the last 6 hours, with 2 replicas."),
            .success(
                "sandbox/status-all", "status", sandbox("status", [:]),
                entities: ["churn", "fraud", "ranker", "prod", "staging", "v12", "v3", "v21"],
                forbidden: [
                    #"\brecsys\b"#, #"\b(2|two|4|four) deployments\b"#, #"\bfraud (in staging )?(runs|is on|on) v4\b"#,
                    #"\b(rolling out|progressing|degraded)\b"#,
                ],
                note: "Three deployments, all available: churn v12 in prod (2 replicas), fraud v3 in staging (3), ranker v21 in prod (0)."),
            .success(
                "sandbox/status-fraud", "status fraud", sandbox("status", ["model": "fraud"]),
                entities: ["fraud", "staging", "v3"], forbidden: [#"\bprod(uction)?\b"#, #"\bv4\b"#, #"\bcanary (at|of) \d"#],
                note: "fraud has one deployment: v3 in staging on 3 replicas, available, revision 5."),
            .success(
                "sandbox/status-recsys-none", "status recsys", sandbox("status", ["model": "recsys"]),
                entities: ["recsys"],
                forbidden: [#"\brecsys (is )?(deployed|running|available|serving)\b"#, #"\b\d+ deployments?, all available\b"#],
                note: "recsys has no sandbox deployments yet (a success with nothing to show)."),
            .success(
                "sandbox/eval-fraud-v4", "eval fraud v4", sandbox("eval", ["model": "fraud", "version": "v4", "dataset": "holdout"]),
                entities: ["fraud", "v4", "holdout", "accuracy", "f1", "auc"], forbidden: [#"\bv3\b"#, #"\bstaging\b"#, #"\bprod(uction)?\b"#],
                note: "Simulated evaluation of fraud v4 on the holdout set: accuracy, f1 and auc with the number of cases."),
            .success(
                "sandbox/eval-churn-latest", "eval churn", sandbox("eval", ["model": "churn", "dataset": "holdout"]),
                entities: ["churn", "holdout", "accuracy"], forbidden: [#"\bv1[23]\b"#],
                note: "Simulated evaluation of churn (version: latest) on holdout: accuracy, f1 and auc."),
            .success(
                "sandbox/eval-recsys-dataset", "eval recsys v7 --dataset clicks_2024q4",
                sandbox("eval", ["model": "recsys", "version": "v7", "dataset": "clicks_2024q4"]),
                entities: ["recsys", "v7", "clicks_2024q4", "auc"], forbidden: [#"\bholdout\b"#, #"\bnot deployed\b"#],
                note: "Simulated evaluation of recsys v7 on clicks_2024q4: accuracy, f1 and auc."),
            .success(
                "sandbox/deploy-fraud-prod", "deploy fraud v11 --env prod", sandbox("deploy", ["model": "fraud", "version": "v11", "env": "prod"]),
                entities: ["fraud", "v11", "prod"], forbidden: [#"\bstaging\b"#, #"\b\(?was v\d"#, #"\bv3\b"#],
                note: "fraud v11 is deployed to prod (first deployment there), 2/2 replicas ready."),
            .success(
                "sandbox/deploy-fraud-prod-upgrade", "deploy fraud v12 --env prod",
                sandbox("deploy", ["model": "fraud", "version": "v12", "env": "prod"]),
                entities: ["fraud", "v12", "v11", "prod"], forbidden: [#"\brolled back\b"#, #"\bstaging\b"#, #"(?<!no )(?<!without a )\bcanary\b"#],
                note: "fraud v12 is deployed to prod, replacing v11; 2/2 replicas ready."),
            .success(
                "sandbox/rollback-prod", "rollback fraud --env prod", sandbox("rollback", ["model": "fraud", "env": "prod"]),
                entities: ["fraud", "prod", "v12", "v11"],
                forbidden: [#"\bfrom v11 to v12\b"#, #"\bnow (runs|running|on) v12\b"#, #"\bstaging\b"#, #"\bv3\b"#],
                note: "fraud in prod was rolled back from v12 to v11."),
        ]
        return try await record("sandbox", scenarios, on: backend)
    }
}
