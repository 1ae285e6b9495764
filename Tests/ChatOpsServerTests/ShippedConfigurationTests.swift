import ChatOpsCore
import ChatOpsServer
import Foundation
import Testing

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

    /// Validates a configuration text as `chatops validate` would, with `commands` (the repository's
    /// unless given) in place of the image's `/etc/chatops/commands`.
    static func validate(_ text: String, name: String, commands: URL? = nil) throws -> LoadedConfiguration {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-shipped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var lines = text.components(separatedBy: "\n").filter { !$0.hasPrefix("commands:") }
        lines.insert("commands: \((commands ?? root.appendingPathComponent("commands")).path)", at: 0)
        let path = dir.appendingPathComponent(name).path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigurationLoader.load(path: path, environment: environment(for: text))
    }

    /// The image's own configuration (SQLite); the deploy variants' are checked by `DeployManifestTests`.
    @Test func theContainerConfigurationValidatesWithItsVariablesSet() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("deploy/chatops.container.yaml"), encoding: .utf8)
        let loaded = try Self.validate(text, name: "chatops.yaml")
        #expect(loaded.configuration.webchat.users.keys.sorted() == ["alice", "bob"])
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
