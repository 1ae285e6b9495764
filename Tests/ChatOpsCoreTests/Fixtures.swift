import ChatOpsCore
import Foundation
import Testing

/// A small command set shaped like the repository's `commands/` folder.
enum Fixtures {
    static let deploy = CommandSpec(
        name: "deploy", summary: "Deploy a model version to an environment",
        args: [
            ArgumentSpec(name: "model", type: .string, pattern: "^[a-z0-9][a-z0-9-]{0,62}$"),
            ArgumentSpec(name: "version", type: .string, pattern: "^[A-Za-z0-9._@-]{1,64}$"),
            ArgumentSpec(name: "env", type: .enumeration, values: ["staging", "prod"], defaultValue: "staging"),
            ArgumentSpec(name: "canary", type: .percent, optional: true),
        ],
        allow: ["ml-engineer", "ml-lead"],
        approval: ApprovalPolicy(when: ["env": "prod"], approvers: ["ml-lead"], count: 1, expires: "2h"),
        lock: "{{model}}@{{env}}",
        action: ActionSpec(
            backend: "sandbox", operation: "deploy",
            parameters: ["model": "{{model}}", "version": "{{version}}", "env": "{{env}}", "canary": "{{canary}}"]))

    static let scale = CommandSpec(
        name: "scale", summary: "Change the number of replicas serving a model",
        args: [
            ArgumentSpec(name: "model", type: .string, pattern: "^[a-z0-9][a-z0-9-]{0,62}$"),
            ArgumentSpec(name: "replicas", type: .integer, min: 0, max: 50),
            ArgumentSpec(name: "env", type: .enumeration, values: ["staging", "prod"], defaultValue: "staging"),
        ],
        allow: ["ml-engineer", "ml-lead"],
        action: ActionSpec(backend: "sandbox", operation: "scale"))

    static let status = CommandSpec(
        name: "status", summary: "Show what is deployed", aliases: ["st"],
        args: [
            ArgumentSpec(name: "model", type: .string, optional: true, positional: true),
            ArgumentSpec(name: "env", type: .enumeration, values: ["staging", "prod"], optional: true),
        ],
        allow: ["*"],
        action: ActionSpec(backend: "sandbox", operation: "status"))

    /// Adds a duration and a boolean flag to the set.
    static let metrics = CommandSpec(
        name: "metrics", summary: "Show request rate and latency",
        args: [
            ArgumentSpec(name: "model", type: .string),
            ArgumentSpec(name: "window", type: .duration, defaultValue: "1h"),
            ArgumentSpec(name: "detailed", type: .boolean, defaultValue: "false"),
        ],
        allow: ["*"],
        action: ActionSpec(backend: "sandbox", operation: "metrics"))

    static let registry: CommandRegistry = {
        do { return try CommandRegistry(specs: [deploy, scale, status, metrics]) } catch { fatalError("\(error)") }
    }()

    static let parser = CommandParser(registry: registry, rootCommand: "mlops", botNames: ["chatops"])

    /// Parses text that must be a declared command.
    static func invocation(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Invocation {
        let parsed = try parser.parse(text)
        guard case .command(let invocation) = parsed else {
            Issue.record("`\(text)` parsed as \(parsed), not a command", sourceLocation: sourceLocation)
            throw FixtureError.notACommand
        }
        return invocation
    }

    /// Parses text that must be refused, and returns why.
    static func parseError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ParseError {
        try #require(throws: ParseError.self, sourceLocation: sourceLocation) { try parser.parse(text) }
    }

    static func person(_ id: String, platform: String = "test") -> Principal {
        Principal(platform: platform, userID: id)
    }

    enum FixtureError: Error { case notACommand }
}
