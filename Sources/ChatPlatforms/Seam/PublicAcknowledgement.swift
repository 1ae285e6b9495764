import ChatOpsCore
import Foundation

/// Whether a slash command is acknowledged where everyone sees it. Slack's `in_channel` and Discord's
/// public deferral show the typed command to the whole channel, so they are chosen only for a command
/// the sender may run: one that parses and that `Decision.make` does not deny for the sender's roles.
/// Anything else (a mistake, help, or a command the sender may not run) is acknowledged privately,
/// and its answer follows privately.
///
/// The check is pure and cheap (parsing and a role lookup, no I/O); the job still makes the real
/// decision when it runs.
public enum PublicAcknowledgement {
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
