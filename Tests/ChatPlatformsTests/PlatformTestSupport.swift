import ChatOpsCore

/// What the tests of outward connections share: a parser that knows one command (`status`, anyone
/// may run it) and no roles.
enum ConnectionFixtures {
    static func parser() throws -> CommandParser {
        let status = CommandSpec(name: "status", summary: "Show status", allow: ["*"], action: ActionSpec(backend: "sandbox", operation: "status"))
        return CommandParser(registry: try CommandRegistry(specs: [status]), rootCommand: "mlops")
    }
}
