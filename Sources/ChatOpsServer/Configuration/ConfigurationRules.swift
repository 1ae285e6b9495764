import ChatOpsCore
import ChatPlatforms
import Foundation

/// Checks of `chatops.yaml` that decoding cannot make: who can reach the web chat, secrets that are
/// set to nothing, and identities and groups that could be matched from the wrong platform.
enum ConfigurationRules {
    static func issues(in configuration: BotConfiguration, document: YAMLDocument) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func report(_ path: [any PathComponent], _ message: String) {
            issues.append(ValidationIssue(file: document.file, line: document.line(at: path.map(\.codingKey)), message: message))
        }
        let webchat = configuration.webchat
        if webchat.legacyToken != nil {
            report(
                ["webchat", "token"],
                "webchat.token (one token shared by everyone) cannot say who is asking; give each person a token under webchat.users (`chatops webchat-token <user>` makes one)"
            )
        }
        if webchat.enabled, webchat.users.isEmpty, !isLoopback(configuration.server.host) {
            report(
                ["server", "host"],
                "the web chat would listen on \(configuration.server.host) without per-user tokens; add webchat.users or set webchat.enabled: false")
        }
        let reserved = Set(configuration.bot.names.map { $0.lowercased() } + [WebChatPlatform.botAuthor])
        for (user, entry) in webchat.users.sorted(by: { $0.key < $1.key }) {
            if let problem = WebChatUserRules.problem(with: user, reserved: reserved) { report(["webchat", "users", user], problem) }
            if entry.tokenSHA256.range(of: "^[0-9a-f]{64}$", options: .regularExpression) == nil {
                report(
                    ["webchat", "users", user, "token_sha256"],
                    "webchat.users.\(user).token_sha256 must be 64 lower-case hex digits (the SHA-256 of the token)")
            }
        }
        for problem in configuration.store.problems() { report(["store", problem.key.rawValue], problem.message) }
        if configuration.workers.count < 0 {
            report(["workers", "count"], "workers.count must be 0 (this replica only stores what arrives) or more")
        }
        for (section, settings) in configuration.platforms.sorted(by: { $0.key < $1.key }) {
            for problem in settings.problems() { report([section] + problem.path, problem.message) }
        }
        for problem in configuration.identities.problems() { report(["identities"], problem) }
        if webchat.users.isEmpty {
            // Without tokens a web chat user is whoever the request names: fine on this machine, never
            // enough to speak for someone on another platform.
            for (person, ids) in configuration.identities.people.sorted(by: { $0.key < $1.key })
            where ids.contains(where: { $0.hasPrefix("\(WebChatPlatform.platformName):") }) {
                report(
                    ["identities", person],
                    "identities.\(person) links a web chat id, but the web chat has no per-user tokens (webchat.users), so anyone on this machine could use the link"
                )
            }
        }
        for (role, group) in configuration.roles.unqualifiedGroups() {
            report(
                ["roles", role, "groups"],
                "roles.\(role): group `\(group)` must name its platform (such as `slack:\(group)`), so it counts only where that platform asserted it"
            )
        }
        return issues
    }

    /// Addresses only this machine can reach.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// What a web chat user id may be.
enum WebChatUserRules {
    /// - Returns: why `user` cannot be a web chat user id, or nil.
    static func problem(with user: String, reserved: Set<String>) -> String? {
        if user.isEmpty || user.count > 64 || user.contains(":") || user.contains(where: \.isWhitespace) {
            return "a web chat user id has 1 to 64 characters, without `:` or spaces"
        }
        if reserved.contains(user.lowercased()) { return "`\(user)` is the bot's own name" }
        return nil
    }
}
