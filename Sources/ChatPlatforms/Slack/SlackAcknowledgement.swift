import ChatOpsCore
import Foundation

/// How a slash command is acknowledged within Slack's 3 seconds. `in_channel` shows the typed
/// command to the whole channel (api.slack.com/interactivity/slash-commands), so it is chosen only
/// for a command the sender may run: one that parses and that `Decision.make` does not deny for the
/// sender's roles. Anything else (a mistake, help, or a command the sender may not run) gets an empty
/// acknowledgement, which only the sender sees, and its answer follows privately by `response_url`.
///
/// The check is pure and cheap (parsing and a role lookup, no I/O); the job still makes the real
/// decision when it runs.
public enum SlackAcknowledgement {
    /// - Parameters:
    ///   - text: the command with its text, as the decoder built it (`/deploy fraud v12`).
    ///   - sender: who typed it, as the decoder identified them.
    ///   - parser: the bot's command parser.
    ///   - roles: `roles:` from the configuration.
    /// - Returns: whether to acknowledge in the channel.
    public static func isPublic(text: String, sender: Principal, parser: CommandParser, roles: RoleDirectory) -> Bool {
        guard case .command(let invocation)? = try? parser.parse(text), let spec = parser.registry.command(named: invocation.command) else {
            return false
        }
        if case .denied = Decision.make(spec: spec, invocation: invocation, roles: roles.roles(of: sender)) { return false }
        return true
    }
}
