import ChatOpsCore
import Foundation
import KubernetesAPIDouble
import MLflowFixtures
import Testing

@testable import OpsBackends

/// Against the Kubernetes API double (no API server can run here): what the backend sends, how it
/// follows rollouts, and how it reports the API's errors.
@Suite("Kubernetes Deployments and Jobs")
struct KubernetesBackendTests {
    static func backend(_ double: KubernetesAPIDouble, token: String? = nil) throws -> KubernetesBackend {
        let client = try KubernetesClient(access: ClusterAccess(server: double.server, token: token ?? double.token, namespace: "models-prod"))
        return KubernetesBackend(name: "k8s", client: client, pollInterval: .milliseconds(10))
    }

    @Test func deployPatchesTheTemplateAsAMergePatchAndFollowsTheRollout() async throws {
        try await KubernetesAPIDouble.run { double in
            double.addDeployment("fraud", namespace: "models-prod", image: "registry/fraud:v11", replicas: 3, modelURI: "models:/fraud/11")
            let progress = ProgressMessages()
            let outcome = try await Self.backend(double).execute(
                action("k8s", "deploy", ["name": "fraud", "image": "registry/fraud:v12", "model_uri": "models:/fraud/12"]),
                context: progress.context("deploy-1"))
            #expect(outcome.status == .succeeded, "\(outcome.headline)")
            #expect(
                outcome.headline == "Deployed image registry/fraud:v12, MODEL_URI=models:/fraud/12 to fraud in models-prod: 3/3 updated, 3 available."
            )
            #expect(outcome.facts.contains(Fact("revision", "2")))
            let patch = try #require(double.patches.first)
            #expect(patch.contentType == "application/merge-patch+json")
            #expect(patch.body[path: ["metadata", "resourceVersion"]] != nil, "guarded by the version it read")
            #expect(patch.body[path: ["metadata", "annotations", "chatops.dev/execution"]] == "deploy-1")
            #expect(progress.all.contains { $0.hasPrefix("rolling out: 1/3 updated") }, "\(progress.all)")
            let container = double.object("/apis/apps/v1/namespaces/models-prod/deployments/fraud")?[path: ["spec", "template", "spec", "containers"]
            ]?.array?.first
            #expect(container?["image"] == "registry/fraud:v12")
            #expect(container?["env"] == [["name": "MODEL_URI", "value": "models:/fraud/12"]])

            // The same job retried after a crash does not patch again.
            _ = try await Self.backend(double).execute(
                action("k8s", "deploy", ["name": "fraud", "image": "registry/fraud:v12"]), context: progress.context("deploy-1"))
            #expect(double.patches.count == 1)
        }
    }

    @Test func aConflictIsRetriedOnAFreshRead() async throws {
        try await KubernetesAPIDouble.run { double in
            double.addDeployment("fraud", namespace: "models-prod", image: "registry/fraud:v11", replicas: 2)
            double.conflictOnNextPatch("/apis/apps/v1/namespaces/models-prod/deployments/fraud")
            let outcome = try await Self.backend(double).execute(
                action("k8s", "deploy", ["name": "fraud", "image": "registry/fraud:v12"]), context: ProgressMessages().context())
            #expect(outcome.status == .succeeded)
            #expect(double.patches.count == 2, "the first patch met a 409 and was sent again with the new resourceVersion")
            #expect(double.patches[0].body[path: ["metadata", "resourceVersion"]] != double.patches[1].body[path: ["metadata", "resourceVersion"]])
        }
    }

    @Test func scaleUsesTheScaleSubresourceAndRollbackRestoresThePreviousRevision() async throws {
        try await KubernetesAPIDouble.run { double in
            double.addDeployment("fraud", namespace: "models-prod", image: "registry/fraud:v11", replicas: 2)
            let backend = try Self.backend(double)
            let scaled = try await backend.execute(
                action("k8s", "scale", ["name": "fraud", "replicas": "4"]), context: ProgressMessages().context("scale-1"))
            #expect(scaled.headline == "Scaled fraud in models-prod from 2 to 4 replicas: 4/4 updated, 4 available.")
            #expect(double.patches.last?.path == "/apis/apps/v1/namespaces/models-prod/deployments/fraud/scale")
            #expect(double.patches.last?.body == ["spec": ["replicas": 4]])

            _ = try await backend.execute(
                action("k8s", "deploy", ["name": "fraud", "image": "registry/fraud:v12"]), context: ProgressMessages().context("deploy-2"))
            let rolledBack = try await backend.execute(
                action("k8s", "rollback", ["name": "fraud"]), context: ProgressMessages().context("rollback-1"))
            #expect(rolledBack.status == .succeeded)
            #expect(rolledBack.headline.hasPrefix("Rolled back fraud in models-prod to revision 1"))
            #expect(rolledBack.facts.contains(Fact("image", "registry/fraud:v11")))
            let labels = double.object("/apis/apps/v1/namespaces/models-prod/deployments/fraud")?[path: ["spec", "template", "metadata", "labels"]]
            #expect(labels == ["app": "fraud"], "the ReplicaSet's pod-template-hash is not copied back")
            // Retried, the same rollback changes nothing more.
            let patches = double.patches.count
            _ = try await backend.execute(action("k8s", "rollback", ["name": "fraud"]), context: ProgressMessages().context("rollback-1"))
            #expect(double.patches.count == patches)
        }
    }

    @Test func aMisspelledContainerIsRefusedRatherThanPatchingAnother() async throws {
        try await KubernetesAPIDouble.run { double in
            double.addDeployment("fraud", namespace: "models-prod", image: "registry/fraud:v11", replicas: 1)
            do {
                _ = try await Self.backend(double).execute(
                    action("k8s", "deploy", ["name": "fraud", "image": "x:1", "container": "sever"]), context: ProgressMessages().context())
                Issue.record("a missing container was patched")
            } catch let error as BackendError {
                #expect(error.message == "deployment fraud has no container `sever`; it has server")
            }
            #expect(double.patches.isEmpty)
        }
    }

    @Test func aStalledRolloutFailsWithTheReason() async throws {
        try await KubernetesAPIDouble.run { double in
            double.addDeployment("fraud", namespace: "models-prod", image: "registry/fraud:v11", replicas: 2)
            let outcome = try await Self.backend(double).execute(
                action("k8s", "deploy", ["name": "fraud", "image": "registry/fraud:broken"]), context: ProgressMessages().context())
            #expect(outcome.status == .failed)
            #expect(outcome.headline.contains("the rollout stalled") && outcome.headline.contains("ImagePullBackOff"))
        }
    }

    @Test func apiErrorsNameTheObjectAndTheMissingPermission() async throws {
        try await KubernetesAPIDouble.run { double in
            double.addDeployment("fraud", namespace: "models-prod", image: "registry/fraud:v11", replicas: 2)
            await #expect(throws: BackendError.self) {
                _ = try await Self.backend(double, token: "wrong").execute(
                    action("k8s", "status", ["name": "fraud"]), context: ProgressMessages().context())
            }
            do {
                _ = try await Self.backend(double, token: double.readOnlyToken).execute(
                    action("k8s", "scale", ["name": "fraud", "replicas": "3"]), context: ProgressMessages().context())
                Issue.record("a read-only account scaled")
            } catch let error as BackendError {
                #expect(error.message.contains("may not patch deployments/scale fraud in models-prod (403 Forbidden)"), "\(error.message)")
                #expect(error.message.contains(#"cannot patch resource "deployments/scale" in API group "apps""#))
            }
            do {
                _ = try await Self.backend(double).execute(action("k8s", "status", ["name": "churn"]), context: ProgressMessages().context())
                Issue.record("a missing deployment was found")
            } catch let error as BackendError {
                #expect(
                    error.message == #"Not found: get deployment churn in models-prod (404). Kubernetes said: deployments.apps "churn" not found"#)
            }
            do {
                _ = try await Self.backend(double).execute(
                    action("k8s", "scale", ["name": "fraud", "replicas": "-1"]), context: ProgressMessages().context())
            } catch let error as BackendError {
                #expect(error.message.contains("`replicas` must be a whole number"))
            }
        }
    }

    @Test func anEvalJobRunsOncePerExecutionAndReportsItsLogAndMetrics() async throws {
        try await KubernetesAPIDouble.run { double in
            let backend = try Self.backend(double)
            let parameters = [
                "name": "eval-fraud", "image": "registry/evaluator:3", "arg1": "--model", "arg2": "models:/fraud/12", "arg3": "--dataset",
                "arg4": "holdout",
            ]
            let outcome = try await backend.execute(action("k8s", "eval", parameters), context: ProgressMessages().context("eval-1"))
            #expect(outcome.status == .succeeded)
            #expect(outcome.facts.contains(Fact("accuracy", "0.931")) && outcome.facts.contains(Fact("f1", "0.88")))
            #expect(outcome.log?.contains("evaluating --model models:/fraud/12 --dataset holdout") == true)
            let again = try await backend.execute(action("k8s", "eval", parameters), context: ProgressMessages().context("eval-1"))
            #expect(again.facts.first == outcome.facts.first, "a retried execution follows the same Job")
            let failed = try await backend.execute(
                action("k8s", "eval", ["name": "eval-fraud", "image": "registry/failing:1"]), context: ProgressMessages().context("eval-2"))
            #expect(failed.status == .failed)
            #expect(failed.headline.contains("BackoffLimitExceeded") || failed.headline.contains("backoff limit"))
            #expect(failed.log?.contains("dataset not found") == true)
        }
    }
}

@Suite("KServe InferenceServices")
struct KServeBackendTests {
    static func backend(_ double: KubernetesAPIDouble, registry: MLflowClient? = nil) throws -> KServeBackend {
        KServeBackend(
            name: "kserve", client: try KubernetesClient(access: ClusterAccess(server: double.server, token: double.token, namespace: "models-prod")),
            registry: registry, pollInterval: .milliseconds(10))
    }

    @Test func aCanaryDeployIsPromotedOrRolledBack() async throws {
        try await KubernetesAPIDouble.run { double in
            double.addInferenceService("fraud", namespace: "models-prod", storageURI: "s3://models/fraud/11")
            let backend = try Self.backend(double)
            let deployed = try await backend.execute(
                action("kserve", "deploy", ["name": "fraud", "storage_uri": "s3://models/fraud/12", "canary": "10", "runtime_version": "1.5.0"]),
                context: ProgressMessages().context("d1"))
            #expect(deployed.status == .succeeded, "\(deployed.headline)")
            #expect(deployed.headline == "Deployed s3://models/fraud/12 to fraud in models-prod with 10% canary traffic.")
            #expect(deployed.facts.contains(Fact("traffic", "fraud-predictor-00002 10%, fraud-predictor-00001 90%")))
            #expect(
                double.patches.last?.body[path: ["spec", "predictor", "model"]] == ["storageUri": "s3://models/fraud/12", "runtimeVersion": "1.5.0"])

            let promoted = try await backend.execute(action("kserve", "promote", ["name": "fraud"]), context: ProgressMessages().context("p1"))
            #expect(promoted.status == .succeeded)
            #expect(double.patches.last?.body[path: ["spec", "predictor", "canaryTrafficPercent"]] == .null, "cleared: all traffic to the latest")
            #expect(
                double.object("/apis/serving.kserve.io/v1beta1/namespaces/models-prod/inferenceservices/fraud")?[path: [
                    "spec", "predictor", "canaryTrafficPercent",
                ]] == nil)

            let rolledBack = try await backend.execute(action("kserve", "rollback", ["name": "fraud"]), context: ProgressMessages().context("r1"))
            #expect(rolledBack.status == .succeeded)
            #expect(rolledBack.facts.contains(Fact("canary traffic", "0%")))

            let scaled = try await backend.execute(
                action("kserve", "scale", ["name": "fraud", "min_replicas": "2", "max_replicas": "6"]), context: ProgressMessages().context("s1"))
            #expect(scaled.status == .succeeded)
            #expect(double.patches.last?.body[path: ["spec", "predictor"]] == ["minReplicas": 2, "maxReplicas": 6])
            do {
                _ = try await backend.execute(
                    action("kserve", "scale", ["name": "fraud", "min_replicas": "-1"]), context: ProgressMessages().context("s2"))
                Issue.record("an invalid scale was accepted")
            } catch let error as BackendError {
                #expect(
                    error.message.hasPrefix("Kubernetes refused patch inferenceservices fraud in models-prod as invalid (422)"), "\(error.message)")
                #expect(error.message.contains("spec.predictor.minReplicas: Invalid value: -1"))
            }
        }
    }

    @Test func aStorageURICanComeFromTheMLflowRegistry() async throws {
        let registry = try MLflowRegistry.fromEnvironment()
        let experiment = try await registry.experiment()
        let run = try await registry.run(experiment: experiment, name: "train", metrics: ["accuracy": 0.9], params: [:])
        let model = "fraud-\(UUID().uuidString.prefix(8).lowercased())"
        try await registry.model(model, runs: [run], aliases: ["champion": 1])
        try await KubernetesAPIDouble.run { double in
            double.addInferenceService("fraud", namespace: "models-prod", storageURI: "s3://models/old")
            let outcome = try await Self.backend(double, registry: MLflowClient(baseURL: registry.url)).execute(
                action("kserve", "deploy", ["name": "fraud", "registry_model": model, "version": "champion"]), context: ProgressMessages().context())
            #expect(outcome.facts.contains(Fact("storage uri", "s3://models/\(model)/1")))
        }
    }
}

@Suite("Merge patch between two documents")
struct MergePatchDiffTests {
    @Test func keysTheTargetLacksAreRemovedAndChangesGiven() {
        let current: JSONValue = [
            "spec": ["nodeSelector": ["gpu": "a100"], "containers": [["image": "v12"]]], "metadata": ["labels": ["app": "fraud"]],
        ]
        let target: JSONValue = ["spec": ["containers": [["image": "v11"]]], "metadata": ["labels": ["app": "fraud"]]]
        #expect(MergePatchDiff.between(current, target) == ["spec": ["nodeSelector": .null, "containers": [["image": "v11"]]]])
    }
}
