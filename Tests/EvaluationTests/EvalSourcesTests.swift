import AsyncHTTPClient
import ChatOpsCore
import ChatOpsStore
import Evaluation
import Foundation
import Hummingbird
import KubernetesAPIDouble
import LLM
import LocalServer
import Logging
import MLflowFixtures
import NIOCore
import OpsBackends
import Testing

/// Where targets and datasets come from besides `llm.models` and a folder, and the runs MLflow keeps:
/// a real MLflow tracking server (started by scripts/test), the Kubernetes API double for KServe, and
/// a local HTTP server for datasets at a URL.
@Suite("Eval targets, datasets and MLflow logging")
struct EvalSourcesTests {
    static func llmURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_LLM_URL"] else {
            throw BackendError("CHATOPS_LLM_URL is not set: run the tests with scripts/test, which starts the local model server")
        }
        return url
    }

    @Test func aVersionInMLflowIsEvaluatedAtItsTaggedEndpointAndTheRunIsLoggedThereWithItsCases() async throws {
        let mlflow = try MLflowRegistry.fromEnvironment()
        let model = "assistant-\(RandomID.make().suffix(8))"
        try await mlflow.post("registered-models/create", ["name": .string(model)])
        try await mlflow.post("model-versions/create", ["name": .string(model), "source": .string("s3://models/\(model)/1")])
        try await mlflow.post("model-versions/create", ["name": .string(model), "source": .string("s3://models/\(model)/2")])
        for (key, value) in [(EvalTargets.endpointTag, try Self.llmURL()), (EvalTargets.modelTag, "smollm2")] {
            try await mlflow.post("model-versions/set-tag", ["name": .string(model), "version": "2", "key": .string(key), "value": .string(value)])
        }
        try await mlflow.post("registered-models/alias", ["name": .string(model), "alias": "candidate", "version": "2"])
        let client = MLflowClient(baseURL: mlflow.url)
        let experiment = "chatops-evals-\(RandomID.make().suffix(8))"
        var settings = EvalSettings(
            datasets: .folder(LocalModelRunTests.folder),
            targets: EvalTargets(models: [:], registry: client, endpoints: [try Self.llmURL()], timeout: .seconds(120)),
            concurrency: 2, rule: VerdictRule(minimumCases: 10))
        settings.mlflow = MLflowEvalLog(client: client, experiment: experiment)

        try await EvalBackendTests.withSQLite { store in
            let backend = EvalBackend(name: "evals", settings: settings, records: store, logger: Logger(label: "eval-test"))
            let outcome = try await backend.execute(
                EvalBackendTests.action(["model": model, "version": "candidate", "dataset": "smoke"]),
                context: ExecutionContext(executionID: "mlflow-run-1", requester: EvalBackendTests.ann))
            #expect(outcome.headline == "eval of \(model) v2 on smoke: 81% passed, promote", "kept under the version the alias named")
            #expect(outcome.facts.first { $0.name == "target" }?.value == "MLflow `\(model)` version 2 at \(try Self.llmURL())")
            let kept = try #require(try await store.evalRun(id: "mlflow-run-1"))
            let runID = try #require(kept.mlflowRunID, "\(outcome.facts)")
            #expect(outcome.facts.contains(Fact("mlflow run", runID)))

            let logged = try await client.run(runID)
            #expect(logged.status == "FINISHED")
            #expect(logged.params == ["model": model, "version": "v2", "dataset": "smoke", "baseline_run": "none"])
            #expect(logged.metrics["pass_rate"] == 13.0 / 16 && logged.metrics["cases"] == 16 && logged.metrics["passed"] == 13)
            #expect(logged.metrics["pass_rate.check.contains"] != nil && logged.metrics["latency_p95_ms"] != nil)
            #expect(logged.metrics.keys.contains { $0.hasPrefix("pass_rate.slice.") })

            // The per-case table, as the artifact: every case, the failures first.
            let artifact = try await Self.get("\(mlflow.url)/get-artifact?path=cases.jsonl&run_uuid=\(runID)")
            let lines = artifact.split(separator: "\n").map { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
            #expect(lines.count == 16)
            #expect(lines.prefix(3).allSatisfy { $0?["passed"] == false } && lines.suffix(13).allSatisfy { $0?["passed"] == true })
            #expect(lines.allSatisfy { $0?["answer"]?.string?.isEmpty == false })

            // Logged once: the same run logged again (a job that ran again) finds the MLflow run by its tag.
            #expect(try await settings.mlflow?.log(kept, baseline: nil) == runID)

            // A run kept but not logged (the bot stopped in between): the job that runs again logs and links it.
            var unlogged = kept
            unlogged.id = "mlflow-run-2"
            unlogged.mlflowRunID = nil
            unlogged.cases = Array(kept.cases.prefix(10))
            try await store.recordEvalRun(unlogged)
            let again = try await backend.execute(
                EvalBackendTests.action(["model": model, "version": "candidate", "dataset": "smoke"]),
                context: ExecutionContext(executionID: "mlflow-run-2", requester: EvalBackendTests.ann))
            let linked = try #require(try await store.evalRun(id: "mlflow-run-2")?.mlflowRunID)
            #expect(linked != runID && again.facts.contains(Fact("mlflow run", linked)))
            #expect(try await client.run(linked).metrics["cases"] == 10, "the kept run's cases, not a new run's")
        }
    }

    @Test func anInferenceServiceIsATargetAtItsOpenAIRoutesAndAnUnknownModelSaysWhereTheBotLooked() async throws {
        try await KubernetesAPIDouble.run { double in
            double.addInferenceService("support-llm", namespace: "models-prod", storageURI: "hf://org/support-llm")
            let cluster = try KubernetesClient(access: ClusterAccess(server: double.server, token: double.token, namespace: "models-prod"))
            let targets = EvalTargets(models: ["assistant": .init(baseURL: "http://127.0.0.1:9/v1", model: "a")], serving: cluster)
            let target = try await targets.resolve(model: "support-llm", version: "v3")
            #expect(target.settings.baseURL == "http://support-llm.models-prod.example.com/openai/v1")
            #expect(target.settings.model == "support-llm")
            #expect(
                target.source
                    == "KServe `support-llm` in models-prod at http://support-llm.models-prod.example.com/openai/v1, serving hf://org/support-llm")
            #expect(try await targets.resolve(model: "assistant", version: nil).source == "`assistant` of llm.models")
            await #expect(throws: BackendError("no eval target `fraud`: looked in llm.models (assistant), KServe in models-prod")) {
                _ = try await targets.resolve(model: "fraud", version: nil)
            }
        }
    }

    @Test func aVersionInMLflowWithoutAnEndpointTagOrWithOneOutsideTheAllowedOnesIsAClearError() async throws {
        let mlflow = try MLflowRegistry.fromEnvironment()
        let model = "untagged-\(RandomID.make().suffix(8))"
        try await mlflow.post("registered-models/create", ["name": .string(model)])
        try await mlflow.post("model-versions/create", ["name": .string(model), "source": .string("s3://models/\(model)/1")])
        let targets = EvalTargets(models: [:], registry: MLflowClient(baseURL: mlflow.url), endpoints: ["https://models.internal/"])
        await #expect(
            throws: BackendError(
                "MLflow's `\(model)` version 1 has no tag `chatops.openai_base_url`: set it to the OpenAI-compatible URL that serves this version")
        ) { _ = try await targets.resolve(model: model, version: nil) }
        try await mlflow.post(
            "model-versions/set-tag",
            ["name": .string(model), "version": "1", "key": .string(EvalTargets.endpointTag), "value": "https://attacker.example/v1"])
        await #expect(
            throws: BackendError(
                "MLflow's `\(model)` version 1 names the endpoint https://attacker.example/v1, which is not under the eval backend's `endpoints` (https://models.internal/)"
            )
        ) { _ = try await targets.resolve(model: model, version: "v1") }
        for lookalike in ["https://models.internal.evil.example/v1", "https://models.internal@evil.example/v1", "http://models.internal/v1"] {
            try await mlflow.post(
                "model-versions/set-tag",
                ["name": .string(model), "version": "1", "key": .string(EvalTargets.endpointTag), "value": .string(lookalike)])
            await #expect(throws: BackendError.self, "\(lookalike)") { _ = try await targets.resolve(model: model, version: "v1") }
        }
        try await mlflow.post(
            "model-versions/set-tag",
            ["name": .string(model), "version": "1", "key": .string(EvalTargets.endpointTag), "value": "https://Models.Internal:443/fraud/v1"])
        #expect(try await targets.resolve(model: model, version: "1").settings.baseURL == "https://Models.Internal:443/fraud/v1")
        await #expect(throws: BackendError("no eval target `absent-model`: looked in llm.models (), MLflow's registry")) {
            _ = try await targets.resolve(model: "absent-model", version: "1")
        }
    }

    @Test func datasetsAtAURLAreReadLikeAFolderAndAMissingOneIsNamed() async throws {
        let smoke = try String(contentsOf: LocalModelRunTests.folder.appendingPathComponent("smoke.jsonl"), encoding: .utf8)
        let router = Router()
        router.get("evals/:file") { request, context -> Response in
            guard context.parameters.get("file") == "smoke.jsonl" else { return Response(status: .notFound) }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: smoke)))
        }
        try await LocalServer.run(router) { port in
            let remote = try #require(EvalDatasets.Source.url("http://127.0.0.1:\(port)/evals/"))
            let fromURL = try await EvalDatasets(source: remote).cases(named: "smoke")
            let fromFolder = try await EvalDatasets(source: .folder(LocalModelRunTests.folder)).cases(named: "smoke")
            #expect(fromURL.cases == fromFolder.cases && fromURL.cases.count == 16)
            await #expect(throws: BackendError("no dataset `holdout` at http://127.0.0.1:\(port)/evals/holdout.jsonl (HTTP 404)")) {
                _ = try await EvalDatasets(source: remote).cases(named: "holdout")
            }
            await #expect(throws: BackendError("`../secrets` is not a dataset name (letters, digits, `-` and `_`)")) {
                _ = try await EvalDatasets(source: remote).cases(named: "../secrets")
            }
        }
        #expect(EvalDatasets.Source.url("evals") == nil && EvalDatasets.Source.url("file:///etc") == nil)
    }

    static func get(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }
}
