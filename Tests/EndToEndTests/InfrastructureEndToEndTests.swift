import ChatOpsCore
import Foundation
import KubernetesAPIDouble
import MLflowFixtures
import Testing

/// The example commands in `commands/examples/` run through `chatops serve` against the Kubernetes
/// API double, the real MLflow and the real Prometheus that `scripts/test` starts.
@Suite("Real infrastructure through chatops serve", .serialized)
struct InfrastructureEndToEndTests {
    /// A command folder made of example files.
    static func commands(_ files: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-commands-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let examples = BotProcess.repositoryRoot.appendingPathComponent("commands/examples")
        for file in files {
            try FileManager.default.copyItem(
                at: examples.appendingPathComponent(file), to: folder.appendingPathComponent(URL(fileURLWithPath: file).lastPathComponent))
        }
        return folder
    }

    static func kubeconfig(_ double: KubernetesAPIDouble, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("kubeconfig").path
        try """
        apiVersion: v1
        kind: Config
        current-context: test
        clusters: [{name: double, cluster: {server: "\(double.server)"}}]
        users: [{name: bot, user: {token: \(double.token)}}]
        contexts: [{name: test, context: {cluster: double, user: bot, namespace: models-staging}}]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name] else {
            throw BotProcessError("\(name) is not set: run the tests with scripts/test, which starts the servers")
        }
        return value
    }

    @Test(.timeLimit(.minutes(2)))
    func deployScaleRollBackAndMetricsOnKubernetes() async throws {
        let prometheus = try Self.environment("CHATOPS_PROMETHEUS_URL")
        try await KubernetesAPIDouble.run { double in
            double.addDeployment("fraud", namespace: "models-staging", image: "registry.internal/models/fraud:v11", replicas: 2)
            let commands = try Self.commands([
                "kubernetes/deploy.yaml", "kubernetes/scale.yaml", "kubernetes/rollback.yaml", "kubernetes/status.yaml", "more/metrics.yaml",
            ])
            let bot = try BotProcess(
                extraConfiguration: """
                    backends:
                      cluster: {type: kubernetes, kubeconfig: "\(try Self.kubeconfig(double, in: commands))", poll_ms: 50}
                      prometheus: {type: prometheus, url: "\(prometheus)"}
                    """, commands: commands)
            try await bot.start()
            let chat = WebChatClient(baseURL: bot.baseURL)
            let path = "/apis/apps/v1/namespaces/models-staging/deployments/fraud"
            func image() -> String? { double.object(path)?[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]?.string }

            try await chat.say("deploy fraud v12", as: "alice")
            _ = try await chat.waitFor("the deploy") {
                $0.contains { $0.text.contains("Deployed image registry.internal/models/fraud:v12") && $0.text.contains("2/2 updated") }
            }
            #expect(image() == "registry.internal/models/fraud:v12")

            try await chat.say("scale fraud 4", as: "alice")
            _ = try await chat.waitFor("the scale") {
                $0.contains { $0.text.contains("Scaled fraud in models-staging from 2 to 4 replicas: 4/4 updated") }
            }
            #expect(double.object(path)?[path: ["spec", "replicas"]] == 4)

            try await chat.say("rollback fraud", as: "alice")
            _ = try await chat.waitFor("the rollback") { $0.contains { $0.text.contains("Rolled back fraud in models-staging to revision 1") } }
            #expect(image() == "registry.internal/models/fraud:v11")

            try await chat.say("metrics fraud --window 2m", as: "alice")
            let metrics = try await chat.waitFor("the metrics", seconds: 60) { $0.contains { $0.text.contains("fraud in prod over the last 2m") } }
            let reply = try #require(metrics.last { $0.text.contains("fraud in prod over the last 2m") })
            #expect(reply.text.contains("req/s") && reply.text.contains("no data") && reply.text.contains("gpu utilisation"), "\(reply.text)")
            #expect(await bot.terminate() == 0)
            let audit = try await bot.runCLI(["audit", "export", "--kind", "action.end"]).output
            #expect(audit.split(separator: "\n").count == 4)
            #expect(!audit.contains(#""status":"failed""#), "\(audit)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aRegistryAliasIsDeployedToKServeAsACanaryAndRolledBack() async throws {
        let registry = try MLflowRegistry.fromEnvironment()
        let experiment = try await registry.experiment()
        let run = try await registry.run(experiment: experiment, name: "train", metrics: ["accuracy": 0.93], params: [:])
        let model = "fraud-\(UUID().uuidString.prefix(8).lowercased())"
        try await registry.model(model, runs: [run, run], aliases: ["champion": 2])
        try await KubernetesAPIDouble.run { double in
            double.addInferenceService(model, namespace: "models-staging", storageURI: "s3://models/\(model)/1")
            let commands = try Self.commands(["kserve/deploy.yaml", "kserve/rollback.yaml", "kserve/status.yaml"])
            let bot = try BotProcess(
                extraConfiguration: """
                    backends:
                      serving: {type: kserve, kubeconfig: "\(try Self.kubeconfig(double, in: commands))", registry: registry, poll_ms: 50}
                      registry: {type: mlflow, url: "\(registry.url)"}
                    """, commands: commands)
            try await bot.start()
            let chat = WebChatClient(baseURL: bot.baseURL)
            try await chat.say("deploy \(model) champion --canary 10", as: "alice")
            _ = try await chat.waitFor("the canary deploy") {
                $0.contains { $0.text.contains("Deployed s3://models/\(model)/2 to \(model) in models-staging with 10% canary traffic") }
            }
            try await chat.say("rollback \(model)", as: "alice")
            let messages = try await chat.waitFor("the rollback") {
                $0.contains { $0.text.contains("Rolled \(model) in models-staging back to its previous revision") }
            }
            #expect(messages.contains { $0.text.contains("canary traffic") && $0.text.contains("0%") })
            #expect(await bot.terminate() == 0)
        }
    }
}
