import ChatOpsCore
import Testing

/// What the tests of outward connections share: a parser that knows one command (`status`, anyone
/// may run it) and no roles.
enum ConnectionFixtures {
    static func parser() throws -> CommandParser {
        let status = CommandSpec(name: "status", summary: "Show status", allow: ["*"], action: ActionSpec(backend: "sandbox", operation: "status"))
        return CommandParser(registry: try CommandRegistry(specs: [status]), rootCommand: "mlops")
    }
}

/// A wait in a test that ran out of time.
struct TimedOut: Error {}

/// Waits until `condition` holds, looking every 20 ms; records an issue and throws when `timeout` passes first.
func eventually(_ what: String, timeout: Duration = .seconds(15), _ condition: () async -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting until \(what)")
    throw TimedOut()
}
