import ChatOpsCore
import Foundation

/// Generates a Slack app manifest (api.slack.com/reference/manifests) from the command files:
/// one slash command per command plus the root command, the scopes the bot uses, and the request
/// URLs under a base URL.
public enum SlackManifest {
    /// Scopes the bot needs: slash commands, posting (also in public channels it has not joined),
    /// file uploads for long results, mentions, and the `*:history` scopes, both for thread replies
    /// (typed votes) and for `conversations.history`/`conversations.replies`, which find a reply
    /// posted just before a crash (`SlackReplyLookup`), and `usergroups:read` for roles granted to
    /// user groups (`SlackUserGroups`).
    public static let botScopes = [
        "commands", "chat:write", "chat:write.public", "files:write", "app_mentions:read",
        "channels:history", "groups:history", "im:history", "usergroups:read",
    ]

    /// - Parameters:
    ///   - registry: the commands.
    ///   - baseURL: where the bot is reachable, such as `https://chatops.example.com`; nil for an app
    ///     that connects with Socket Mode (`slack.app_token`), which has no request URLs.
    ///   - name: the app's display name (at most 35 characters).
    ///   - rootCommand: the root command (`mlops`), if any.
    ///   - paths: the three request paths.
    public static func yaml(
        registry: CommandRegistry, baseURL: String?, name: String = "ChatOps", rootCommand: String?,
        paths: (commands: String, events: String, interactive: String)
    ) -> String {
        let base = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let url = { (key: String, path: String) -> [String] in base.map { ["\(key): \(quoted($0 + path))"] } ?? [] }
        var lines = [
            "_metadata: {major_version: 1, minor_version: 1}",
            "display_information:",
            "  name: \(quoted(String(name.prefix(35))))",
            "  description: \(quoted("Deploy, scale, evaluate and watch ML models from chat"))",
            "features:",
            "  bot_user: {display_name: \(quoted(name.lowercased())), always_online: true}",
            "  slash_commands:",
        ]
        var commands = registry.specs.map {
            (name: $0.name, summary: $0.summary, usage: String($0.usageLine.dropFirst($0.name.count)).trimmingCharacters(in: .whitespaces))
        }
        if let rootCommand {
            commands.insert((rootCommand, "Run any ChatOps command: \(rootCommand) <command> …", "<command> [arguments] | help"), at: 0)
        }
        for command in commands.prefix(50) {
            lines +=
                ["    - command: \(quoted("/" + command.name))"] + url("      url", paths.commands) + [
                    "      description: \(quoted(String(command.summary.prefix(2_000))))",
                    "      usage_hint: \(quoted(String(command.usage.prefix(1_000))))",
                    "      should_escape: false",
                ]
        }
        lines +=
            [
                "oauth_config:",
                "  scopes:",
                "    bot: [\(botScopes.joined(separator: ", "))]",
                "settings:",
                "  event_subscriptions:",
            ] + url("    request_url", paths.events) + [
                "    bot_events: [app_mention, message.channels, message.groups, message.im]",
                "  interactivity:",
                "    is_enabled: true",
            ] + url("    request_url", paths.interactive) + [
                "  org_deploy_enabled: false",
                "  socket_mode_enabled: \(base == nil)",
                "  token_rotation_enabled: false",
            ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A double-quoted YAML scalar (JSON string syntax is valid YAML).
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
