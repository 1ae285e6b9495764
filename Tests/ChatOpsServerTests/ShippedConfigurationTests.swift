import ChatOpsCore
import ChatOpsServer
import Foundation
import Testing
import Yams

/// What the project ships (deploy/ and the README's examples) starts as shipped, and mistakes in a
/// configuration are named rather than ignored.
@Suite("Shipped configurations")
struct ShippedConfigurationTests {
    static let root = TestBot.repositoryRoot

    /// Every `${NAME}` a text refers to, each set to a value that fits any field (64 hex digits).
    static func environment(for text: String) -> [String: String] {
        let names = text.matches(of: /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/).map { String($0.output.1) }
        // Values shaped as the platform issues them: 64 hex digits fit a key or a secret; a Slack
        // app-level token starts `xapp-`.
        let value = { (name: String) in (name.hasSuffix("APP_TOKEN") ? "xapp-1-" : "") + String(repeating: "ab", count: 32) }
        return Dictionary(names.map { ($0, value($0)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Validates a configuration text as `chatops validate` would, with the repository's commands
    /// in place of the image's `/etc/chatops/commands`.
    static func validate(_ text: String, name: String) throws -> LoadedConfiguration {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-shipped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var lines = text.components(separatedBy: "\n").filter { !$0.hasPrefix("commands:") }
        lines.insert("commands: \(root.appendingPathComponent("commands").path)", at: 0)
        let path = dir.appendingPathComponent(name).path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigurationLoader.load(path: path, environment: environment(for: text))
    }

    @Test func theContainerConfigurationValidatesWithItsVariablesSet() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("deploy/chatops.container.yaml"), encoding: .utf8)
        let loaded = try Self.validate(text, name: "chatops.yaml")
        #expect(loaded.configuration.webchat.users.keys.sorted() == ["alice", "bob"])
        let compose = try String(contentsOf: Self.root.appendingPathComponent("deploy/compose.yaml"), encoding: .utf8)
        for name in Self.environment(for: text).keys {
            #expect(compose.contains("\(name): ${\(name):?"), "compose passes \(name) and refuses to start without it")
        }
    }

    @Test func theKubernetesConfigMapValidatesAndItsVariablesComeFromTheDeployment() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("deploy/kubernetes/chatops.yaml"), encoding: .utf8)
        let documents = try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
        let configMap = try #require(documents.first { $0["kind"] as? String == "ConfigMap" })
        let config = try #require((configMap["data"] as? [String: String])?["chatops.yaml"])
        _ = try Self.validate(config, name: "chatops.yaml")
        let deployment = try #require(documents.first { $0["kind"] as? String == "Deployment" })
        let pod = try #require(((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let passed = Set((container["env"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(Set(Self.environment(for: config).keys).isSubset(of: passed), "every variable the configuration uses is set")
        // runAsNonRoot needs a numeric user, and it must be the image's.
        let security = try #require(pod["securityContext"] as? [String: Any])
        let dockerfile = try String(contentsOf: Self.root.appendingPathComponent("deploy/Dockerfile"), encoding: .utf8)
        let user = try #require(dockerfile.components(separatedBy: "\n").last { $0.hasPrefix("USER ") }).dropFirst(5)
        let uid = try #require(Int(user.split(separator: ":").first ?? ""), "the image's USER is numeric: \(user)")
        #expect(security["runAsNonRoot"] as? Bool == true)
        #expect(security["runAsUser"] as? Int == uid)
    }

    @Test func everyYAMLExampleInTheReadmeValidates() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 4)
        for block in blocks {
            // Lines indented under a numbered list item are indented as a whole.
            let indent = block.prefix { $0 == " " }.count
            let text = block.components(separatedBy: "\n").map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }.joined(
                separator: "\n")
            if text.hasPrefix("name:") {
                let file = try CommandFile(file: "README.md", text: text)
                let validator = CommandFileValidator(
                    knownRoles: ["ml-engineer", "ml-lead"],
                    backendOperations: ["sandbox": ["deploy", "scale", "rollback", "status", "metrics", "eval"]],
                    prompts: ["prompts/deploy.md": "x"])
                #expect(validator.issues(in: file).isEmpty, "\(validator.issues(in: file))")
            } else {
                let extra = text.contains("roles:") ? "" : "\nroles: {ml-engineer: {users: [alice]}, ml-lead: {users: [bob]}}"
                do {
                    _ = try Self.validate(text + extra, name: "chatops.yaml")
                } catch {
                    Issue.record("README example does not validate:\n\(text)\n\(error)")
                }
            }
        }
    }

    @Test func unknownKeysAreNamedWithTheirLineAndTheClosestKnownKey() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("commands/prompts"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.root.appendingPathComponent("commands/prompts/status.md"), to: dir.appendingPathComponent("commands/prompts/status.md"))
        let command = """
            name: status
            summary: Show deployments
            allow: ["*"]
            approval:
              approvers: [ml-lead]
              expire: 1h
            action: {backend: sandbox, operation: status}
            summary_prompt: prompts/status.md
            """
        try command.write(to: dir.appendingPathComponent("commands/status.yaml"), atomically: true, encoding: .utf8)
        let config = """
            srever:
              port: 8080
            store: {postgress: {url: "postgres://db"}}
            roles:
              ml-lead: {users: [bob], group: [slack:S1]}
            """
        let path = dir.appendingPathComponent("chatops.yaml").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ValidationFailure.self) { try ConfigurationLoader.load(path: path, environment: [:]) }
        let lines = try #require(error).issues.map(\.description)
        #expect(lines.contains("\(path):1: unknown key `srever` at the top level; did you mean `server`?"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(path):3: unknown key `postgress` in `store`") }, "\(lines)")
        #expect(lines.contains("\(path):5: unknown key `group` in `roles.ml-lead`; did you mean `groups`?"), "\(lines)")
        #expect(lines.contains("commands/status.yaml:6: unknown key `expire` in `approval`; did you mean `expires`?"), "\(lines)")
    }
}
