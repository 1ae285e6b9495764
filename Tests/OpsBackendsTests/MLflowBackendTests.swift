import ChatOpsCore
import Foundation
import LocalServer
import MLflowFixtures
import OpsBackends
import Testing

/// Against the real MLflow tracking server and registry `scripts/test` starts (SQLite-backed).
@Suite("MLflow model registry", .serialized)
struct MLflowBackendTests {
    /// fraud-<random>: version 1 (accuracy 0.90), 2 (0.93), 3 (0.95); champion → 2, challenger → 3.
    static func setUp() async throws -> (MLflowBackend, MLflowRegistry, model: String, runs: [String]) {
        let registry = try MLflowRegistry.fromEnvironment()
        let experiment = try await registry.experiment()
        var runs: [String] = []
        for (index, accuracy) in [0.90, 0.93, 0.95].enumerated() {
            runs.append(
                try await registry.run(
                    experiment: experiment, name: "train-\(index + 1)", metrics: ["accuracy": accuracy, "f1": accuracy - 0.05],
                    params: ["learning_rate": "0.0\(index + 1)", "epochs": "10"]))
        }
        let model = "fraud-\(UUID().uuidString.prefix(8).lowercased())"
        try await registry.model(model, runs: runs, aliases: ["champion": 2, "challenger": 3])
        return (MLflowBackend(name: "registry", client: MLflowClient(baseURL: registry.url)), registry, model, runs)
    }

    @Test func aliasesAndVersionNumbersResolveToAModelURIAndRun() async throws {
        let (backend, _, model, runs) = try await Self.setUp()
        let champion = try await backend.execute(
            action("registry", "resolve", ["model": model, "version": "champion"]), context: ProgressMessages().context())
        #expect(champion.facts.contains(Fact("model uri", "models:/\(model)/2")))
        #expect(champion.facts.contains(Fact("run", runs[1])))
        #expect(champion.facts.contains(Fact("aliases", "champion")))
        let v3 = try await backend.execute(action("registry", "resolve", ["model": model, "version": "v3"]), context: ProgressMessages().context())
        #expect(v3.facts.contains(Fact("source", "s3://models/\(model)/3")))
        do {
            _ = try await backend.execute(
                action("registry", "resolve", ["model": model, "version": "nightly"]), context: ProgressMessages().context())
            Issue.record("an unknown alias resolved")
        } catch let error as BackendError {
            #expect(error.message.contains("MLflow refused") && error.message.contains("nightly"), "\(error.message)")
        }
        let listed = try await backend.execute(action("registry", "versions", ["model": model]), context: ProgressMessages().context())
        #expect(listed.table.dropFirst().map { $0[0] } == ["3", "2", "1"])
        #expect(listed.table[1][1] == "challenger" && listed.table[2][1] == "champion")
    }

    @Test func promoteMovesTheAliasAndRollbackMovesItBackOncePerExecution() async throws {
        let (backend, _, model, _) = try await Self.setUp()
        let client = MLflowClient(baseURL: try MLflowRegistry.fromEnvironment().url)
        let promoted = try await backend.execute(
            action("registry", "promote", ["model": model, "version": "challenger", "alias": "champion"]),
            context: ProgressMessages().context("promote-1"))
        #expect(promoted.headline == "\(model)@champion now points at version 3 (was 2).")
        #expect(try await client.version(model, alias: "champion").version == "3")

        let rolledBack = try await backend.execute(
            action("registry", "rollback", ["model": model, "alias": "champion"]), context: ProgressMessages().context("rollback-1"))
        #expect(rolledBack.headline == "\(model)@champion rolled back to version 2 (was 3).")
        #expect(try await client.version(model, alias: "champion").version == "2")
        // The same job retried after a crash changes nothing more.
        let retried = try await backend.execute(
            action("registry", "rollback", ["model": model, "alias": "champion"]), context: ProgressMessages().context("rollback-1"))
        #expect(retried.status == .succeeded)
        #expect(try await client.version(model, alias: "champion").version == "2")
        // Without a remembered version, rollback goes to the highest version below the current one.
        let again = try await backend.execute(
            action("registry", "rollback", ["model": model, "alias": "challenger"]), context: ProgressMessages().context("rollback-2"))
        #expect(again.headline == "\(model)@challenger rolled back to version 2 (was 3).")
    }

    @Test func aRetriedMoveFinishesTheMoveItRecordedInsteadOfChoosingAgain() async throws {
        let (backend, registry, model, _) = try await Self.setUp()
        let client = MLflowClient(baseURL: registry.url)
        // A crash after the move was recorded but before the alias moved: champion is still 2.
        try await registry.post("registered-models/set-tag", ["name": .string(model), "key": "chatops.execution.champion", "value": "crash-1 1"])
        try await registry.post("registered-models/set-tag", ["name": .string(model), "key": "chatops.previous.champion", "value": "3"])
        let outcome = try await backend.execute(
            action("registry", "rollback", ["model": model, "alias": "champion"]), context: ProgressMessages().context("crash-1"))
        #expect(outcome.status == .succeeded)
        #expect(try await client.version(model, alias: "champion").version == "1", "the recorded choice, not the remembered 3")
    }

    @Test func aRollbackCutAfterItsFirstWriteFinishesWithTheVersionItChose() async throws {
        let (_, registry, model, _) = try await Self.setUp()
        let client = MLflowClient(baseURL: registry.url)
        let backend = MLflowBackend(name: "registry", client: client)
        // champion went 1 → 3 directly, so rolling back must return to 1 (not to 3 - 1).
        for version in ["1", "3"] {
            _ = try await backend.execute(
                action("registry", "promote", ["model": model, "version": version, "alias": "champion"]),
                context: ProgressMessages().context("setup-\(version)"))
        }
        let proxy = CrashingProxy(upstream: registry.url, writesBeforeCrash: 1)
        try await LocalServer.run(proxy.router()) { port in
            let dying = MLflowBackend(name: "registry", client: MLflowClient(baseURL: "http://127.0.0.1:\(port)"))
            await #expect(throws: BackendError.self) {
                _ = try await dying.execute(
                    action("registry", "rollback", ["model": model, "alias": "champion"]), context: ProgressMessages().context("cut-1"))
            }
        }
        #expect(try await client.version(model, alias: "champion").version == "3", "the alias did not move before the cut")
        // The job runs again after the restart, with the same execution id.
        let outcome = try await backend.execute(
            action("registry", "rollback", ["model": model, "alias": "champion"]), context: ProgressMessages().context("cut-1"))
        #expect(outcome.status == .succeeded)
        #expect(try await client.version(model, alias: "champion").version == "1", "the version chosen before the cut")
        #expect(try await client.modelTag(model, key: "chatops.previous.champion") == "3")
    }

    @Test func promotingAnUnsetAliasWorksAndAnUnknownModelIsAnError() async throws {
        let (backend, _, model, _) = try await Self.setUp()
        let promoted = try await backend.execute(
            action("registry", "promote", ["model": model, "version": "1", "alias": "canary"]), context: ProgressMessages().context("p-new"))
        #expect(promoted.headline == "\(model)@canary now points at version 1.")
        #expect(promoted.facts.contains(Fact("was", "not set")))
        await #expect(throws: BackendError.self) {
            _ = try await backend.execute(
                action("registry", "promote", ["model": "no-such-model", "version": "1", "alias": "champion"]), context: ProgressMessages().context())
        }
    }

    @Test func runResultsAndComparisons() async throws {
        let (backend, _, model, runs) = try await Self.setUp()
        let eval = try await backend.execute(
            action("registry", "run", ["model": model, "version": "challenger"]), context: ProgressMessages().context())
        #expect(eval.facts.contains(Fact("accuracy", "0.95")))
        #expect(eval.facts.contains(Fact("f1", "0.9")))
        #expect(eval.table.contains(["learning_rate", "0.03"]))
        let compared = try await backend.execute(
            action("registry", "compare", ["run_a": runs[1], "run_b": runs[2]]), context: ProgressMessages().context())
        #expect(compared.table.first == ["metric", "train-2", "train-3", "change"])
        #expect(compared.table.contains(["accuracy", "0.93", "0.95", "+0.02"]))
    }
}
