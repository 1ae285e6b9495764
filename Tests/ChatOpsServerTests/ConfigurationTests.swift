import ChatOpsCore
import ChatOpsServer
import ChatPlatforms
import Foundation
import Logging
import Testing

@Suite("Configuration and validate")
struct ConfigurationTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("commands/prompts"), withIntermediateDirectories: true)
        return url
    }

    /// Copies the repository's `status` command and its prompt into a test folder.
    func copyStatusCommand(to dir: URL) throws {
        for file in ["commands/status.yaml", "commands/prompts/status.md"] {
            try FileManager.default.copyItem(
                at: TestBot.repositoryRoot.appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
    }

    @Test func theRepositoryConfigurationIsValid() throws {
        let loaded = try ConfigurationLoader.load(path: TestBot.repositoryRoot.appendingPathComponent("chatops.yaml").path, environment: [:])
        #expect(Set(loaded.registry.specs.map(\.name)).isSuperset(of: ["deploy", "scale", "eval", "metrics", "rollback", "status"]))
        #expect(loaded.prompts["prompts/deploy.md"] != nil)
    }

    @Test func languageModelUsesMustNameConfiguredModelsAndTheIntentPromptMustParse() throws {
        let dir = try folder()
        try copyStatusCommand(to: dir)
        try "Commands:\n{{#commands}}\n".write(to: dir.appendingPathComponent("commands/prompts/intent.md"), atomically: true, encoding: .utf8)
        try """
        llm:
          models: {small: {base_url: "http://127.0.0.1:1/v1", model: m, structured_output: json_object}}
          summary_model: small
          intent_model: large
        """.write(to: dir.appendingPathComponent("chatops.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try ConfigurationLoader.load(path: dir.appendingPathComponent("chatops.yaml").path, environment: [:])
            Issue.record("an unknown intent model and a broken prompt were accepted")
        } catch {
            let messages = error.issues.map(\.description)
            #expect(messages.contains { $0.contains("llm.intent_model `large` is not one of llm.models (small)") }, "\(messages)")
            #expect(messages.contains { $0.contains("prompts/intent.md") }, "\(messages)")
            #expect(!messages.contains { $0.contains("summary_model") })
        }
    }

    @Test(arguments: ["kubernetes", "kserve", "more", "evaluation"])
    func everyExampleCommandIsValidAgainstItsBackends(folder name: String) throws {
        let dir = try folder()
        let examples = TestBot.repositoryRoot.appendingPathComponent("commands/examples/\(name)")
        for file in try FileManager.default.contentsOfDirectory(atPath: examples.path) {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(file), to: dir.appendingPathComponent("commands/\(file)"))
        }
        // The prompts the examples may name, as in a copy of them into commands/.
        try FileManager.default.copyItem(
            at: TestBot.repositoryRoot.appendingPathComponent("commands/prompts"), to: dir.appendingPathComponent("commands/prompts"))
        try """
        apiVersion: v1
        current-context: c
        clusters: [{name: k, cluster: {server: "https://cluster.example:6443"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: c, context: {cluster: k, user: u}}]
        """.write(to: dir.appendingPathComponent("kubeconfig"), atomically: true, encoding: .utf8)
        try """
        roles: {ml-engineer: {users: [alice]}, ml-lead: {users: [bob]}}
        backends:
          cluster: {type: kubernetes, kubeconfig: kubeconfig}
          serving: {type: kserve, kubeconfig: kubeconfig, registry: registry}
          registry: {type: mlflow, url: "http://mlflow.example:5000"}
          prometheus: {type: prometheus, url: "http://prometheus.example:9090"}
          argo: {type: http, url: "https://argocd.example", headers: {Authorization: "Bearer x"}}
          jobs: {type: program, allowed: [/opt/chatops/bin]}
          evals: {type: eval, datasets: commands, judge: assistant, concurrency: 2, case_timeout_ms: 30000}
        llm: {models: {assistant: {base_url: "http://127.0.0.1:8080/v1", model: smollm2}}}
        """.write(to: dir.appendingPathComponent("chatops.yaml"), atomically: true, encoding: .utf8)
        let loaded = try ConfigurationLoader.load(path: dir.appendingPathComponent("chatops.yaml").path, environment: [:])
        #expect(loaded.registry.specs.count == (try FileManager.default.contentsOfDirectory(atPath: examples.path)).count)
    }

    @Test func backendMistakesAreNamed() throws {
        let dir = try folder()
        try copyStatusCommand(to: dir)
        try """
        backends:
          sandbox: {type: http, url: "https://x.example"}
          cluster: {type: kubernetes}
          other: {type: kserve, kubeconfig: missing-file, registry: cluster}
          prom: {type: prometheus, url: "not a url"}
          jobs: {type: program, allowed: [relative/bin]}
          evals: {type: eval, datasets: no-such-folder, judge: grader, concurrency: 0, registry: prom, serving: cluster, verdict: {min_cases: 0, alpha: 2}, endpoints: ["models.internal"]}
        llm: {models: {assistant: {base_url: "http://127.0.0.1:8080/v1", model: smollm2}}}
        """.write(to: dir.appendingPathComponent("chatops.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try ConfigurationLoader.load(path: dir.appendingPathComponent("chatops.yaml").path, environment: [:])
            Issue.record("bad backends were accepted")
        } catch {
            let messages = error.issues.map(\.description).joined(separator: "\n")
            for expected in [
                "`sandbox` is the built-in backend", "backends.cluster needs `in_cluster: true` or a `kubeconfig` file",
                "cannot read the kubeconfig", "backends.other.registry `cluster` is not an mlflow backend",
                "backends.prom.url must be an http(s) URL", "backends.jobs.allowed must list absolute folders",
                "backends.evals.datasets must name a folder of .jsonl datasets, or an http(s) URL", "backends.evals.concurrency must be at least 1",
                "backends.evals.registry `prom` is not an mlflow backend", "backends.evals.serving `cluster` is not a kserve backend",
                "backends.evals.verdict.alpha must be between 0 and 1", "backends.evals.endpoints must list http(s) URLs with a host",
                "backends.evals.verdict.min_cases must be at least 1",
                "backends.evals.judge `grader` is not one of llm.models (assistant)",
            ] {
                #expect(messages.contains(expected), "\(expected) in \(messages)")
            }
        }
    }

    @Test func mistakesAreNamedWithFileAndLine() throws {
        let dir = try folder()
        try "roles:\n  ml-lead: {users: [bob]}\n".write(to: dir.appendingPathComponent("chatops.yaml"), atomically: true, encoding: .utf8)
        let command = """
            name: deploy
            summary: Deploy
            args:
              - {name: env, type: enum, values: [staging, prod], default: qa}
            allow: [ml-engineer]
            action:
              backend: sandbx
              operation: deploy
              env: "{{environment}}"
            summary_prompt: prompts/missing.md
            """
        try command.write(to: dir.appendingPathComponent("commands/deploy.yaml"), atomically: true, encoding: .utf8)
        try "name: [unclosed\n".write(to: dir.appendingPathComponent("commands/broken.yaml"), atomically: true, encoding: .utf8)
        let error = #expect(throws: ValidationFailure.self) {
            try ConfigurationLoader.load(path: dir.appendingPathComponent("chatops.yaml").path, environment: [:])
        }
        let lines = try #require(error).issues.map(\.description)
        #expect(lines.contains { $0.hasPrefix("commands/deploy.yaml:4:") && $0.contains("qa") })
        #expect(lines.contains { $0.hasPrefix("commands/deploy.yaml:5:") && $0.contains("ml-engineer") && $0.contains("not defined") })
        #expect(lines.contains { $0.hasPrefix("commands/deploy.yaml:7:") && $0.contains("sandbx") && $0.contains("sandbox") })
        #expect(lines.contains { $0.hasPrefix("commands/deploy.yaml:9:") && $0.contains("environment") })
        #expect(lines.contains { $0.hasPrefix("commands/deploy.yaml:10:") && $0.contains("missing.md") })
        #expect(lines.contains { $0.hasPrefix("commands/broken.yaml:") && $0.contains("YAML syntax error") })
    }

    @Test func secretsComeFromTheEnvironmentAndMissingOnesAreNamed() throws {
        let dir = try folder()
        try copyStatusCommand(to: dir)
        let path = dir.appendingPathComponent("chatops.yaml").path
        // Both the plain and the quoted form, as deploy/ and the README write them.
        try "slack:\n  signing_secret: ${SLACK_SECRET}\n  bot_token: \"${SLACK_TOKEN}\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let environment = ["SLACK_SECRET": "s3cret: with \"quotes\"", "SLACK_TOKEN": "xoxb-1-2-abc"]
        let loaded = try ConfigurationLoader.load(path: path, environment: environment)
        #expect(loaded.configuration.platform(SlackSettings.self)?.signingSecret == "s3cret: with \"quotes\"")
        #expect(loaded.configuration.platform(SlackSettings.self)?.botToken == "xoxb-1-2-abc", "a quoted reference keeps its quotes once")
        let error = #expect(throws: ValidationFailure.self) { try ConfigurationLoader.load(path: path, environment: ["SLACK_TOKEN": "x"]) }
        #expect(error?.issues.first?.description == "\(path):2: `${SLACK_SECRET}` is not set")
        let empty = #expect(throws: ValidationFailure.self) {
            try ConfigurationLoader.load(path: path, environment: ["SLACK_SECRET": "", "SLACK_TOKEN": "x"])
        }
        #expect(
            empty?.issues.map(\.description).contains("\(path):2: `${SLACK_SECRET}` is set but empty") == true,
            "an empty secret is an error, never off")
    }

    @Test func theStoreIsFoundWithoutTheSecretsOfOtherSections() throws {
        let dir = try folder()
        try copyStatusCommand(to: dir)
        let path = dir.appendingPathComponent("chatops.yaml").path
        try "store: {sqlite: state/audit.sqlite}\nslack: {signing_secret: \"${NOT_SET_HERE}\", bot_token: \"${NOR_THIS}\"}\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ValidationFailure.self) { try ConfigurationLoader.load(path: path, environment: [:]) }
        let found = try ConfigurationLoader.storeSection(path: path, environment: [:])
        let location = try found.section.open(base: found.base, logger: Logger(label: "test")).location
        #expect(URL(fileURLWithPath: location).standardizedFileURL.path == dir.appendingPathComponent("state/audit.sqlite").standardizedFileURL.path)
    }

    @Test func referencesWorkInFlowMappingsQuotedOrNotAndEveryValueIsASecret() throws {
        let dir = try folder()
        try copyStatusCommand(to: dir)
        let path = dir.appendingPathComponent("chatops.yaml").path
        let yaml = """
            server: {port: ${PORT}, max_body_bytes: "${BODY}"}
            x-defaults: &defaults {type: http, timeout_ms: 5000}
            backends:
              argo: {<<: *defaults, url: "https://argo.internal", headers: {Authorization: "Bearer ${ARGO_TOKEN}"}}
            """
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try ConfigurationLoader.load(path: path, environment: ["PORT": "9090", "BODY": "1024", "ARGO_TOKEN": "q7Zp3xLm9KwT2vRb"])
        #expect(loaded.configuration.server.port == 9090, "a bare reference in a flow mapping")
        #expect(loaded.configuration.server.maxBodyBytes == 1024, "a quoted reference alone reads as a number")
        #expect(loaded.configuration.backends["argo"]?.timeoutMilliseconds == 5000, "a merge key is not an unknown key")
        #expect(loaded.configuration.secrets.contains("q7Zp3xLm9KwT2vRb"), "the token alone is a secret, not only the whole header")
        #expect(!loaded.configuration.secrets.contains("9090"), "short values such as ports are not")
    }

    /// Inputs the fuzzer (scripts/fuzz SecretExpander) found or keeps, each read as the loader reads a file.
    @Test(
        arguments: try FileManager.default.contentsOfDirectory(
            atPath: TestBot.repositoryRoot.appendingPathComponent("Fuzz/seeds/SecretExpander").path
        ).sorted())
    func fuzzSeedsExpandWithoutTrapping(name: String) throws {
        let data = try Data(contentsOf: TestBot.repositoryRoot.appendingPathComponent("Fuzz/seeds/SecretExpander/\(name)"))
        let text = String(decoding: data, as: UTF8.self)
        let environment = ["OPENAI_API_KEY": "sk-test", "BRACE": "}", "HOST": "db.internal"]
        _ = SecretExpander.expand(text, environment: environment) { _ in }
        guard let parsed = try? SecretExpander.parse(file: name, text: text, environment: environment) else { return }
        _ = try? parsed.document.decode(BotConfiguration.self)
        // Where the file parses as written, expanding its references keeps its shape.
        if let written = try? YAMLDocument(file: name, text: text) {
            var counts = [0, 0]
            _ = written.mappingValues { value, _ in
                counts[0] += 1
                return (value, false)
            }
            _ = parsed.document.mappingValues { value, _ in
                counts[1] += 1
                return (value, false)
            }
            #expect(counts[0] == counts[1], "\(name): \(counts[0]) values as written, \(counts[1]) expanded")
        }
    }

    @Test func aLinkedWebChatIdNeedsPerUserTokens() throws {
        let dir = try folder()
        try copyStatusCommand(to: dir)
        let path = dir.appendingPathComponent("chatops.yaml").path
        try "identities:\n  bob: [slack:U024BE7LH, webchat:bob]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ValidationFailure.self) { try ConfigurationLoader.load(path: path, environment: [:]) }
        #expect(error?.issues.contains { $0.message.contains("no per-user tokens") } == true)
    }

    @Test func noWorkersIsAStoringOnlyReplicaAndFewerThanNoneIsRefused() throws {
        let dir = try folder()
        try copyStatusCommand(to: dir)
        let path = dir.appendingPathComponent("chatops.yaml").path
        try "workers: {count: 0}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try ConfigurationLoader.load(path: path, environment: [:]).configuration.workers.count == 0)
        try "workers: {count: -1}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ValidationFailure.self) { try ConfigurationLoader.load(path: path, environment: [:]) }
        #expect(error?.issues.map(\.message) == ["workers.count must be 0 (this replica only stores what arrives) or more"])
        #expect(error?.issues.first?.line == 1)
    }

    @Test func badSchedulesAreRefused() throws {
        let dir = try folder()
        try copyStatusCommand(to: dir)
        let path = dir.appendingPathComponent("chatops.yaml").path
        let yaml = """
            schedules:
              - name: report
                cron: "0 25 * * *"
                time_zone: Mars/Olympus
                command: statsu
                as: bot
                channel: ops
            """
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ValidationFailure.self) { try ConfigurationLoader.load(path: path, environment: [:]) }
        let text = try #require(error).description
        #expect(text.contains(":4: schedule `report`: unknown time zone"))
        let fixed = yaml.replacingOccurrences(of: "Mars/Olympus", with: "Europe/Berlin")
        try fixed.write(toFile: path, atomically: true, encoding: .utf8)
        let second = #expect(throws: ValidationFailure.self) { try ConfigurationLoader.load(path: path, environment: [:]) }
        let issues = try #require(second).issues.map(\.description)
        #expect(issues.contains { $0.contains(":3:") && $0.contains("hour") })
        #expect(issues.contains { $0.contains(":5:") && $0.contains("`status`") })
    }
}
