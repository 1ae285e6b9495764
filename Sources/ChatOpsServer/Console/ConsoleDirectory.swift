import ChatOpsCore

/// What the console page needs to know up front: how people say who they are, whom it can act as,
/// and the commands with their arguments (for completion).
struct ConsoleDirectory: Encodable, Sendable {
    /// `local`: pick a person (a loopback web chat without tokens); `tokens`: enter your token.
    var signIn: String
    /// The people of `roles:` a local console can act as.
    var people: [String]
    var commands: [Command]

    struct Command: Encodable, Sendable {
        var name: String
        var summary: String
        var usage: String
        var args: [Argument]
    }

    struct Argument: Encodable, Sendable {
        var name: String
        var type: String
        var values: [String]?
        var required: Bool
        /// Filled from bare words in order; otherwise named with `--name`.
        var positional: Bool
    }

    enum CodingKeys: String, CodingKey { case people, commands, signIn = "sign_in" }

    /// What a console learns before it presents a token: only that it needs one.
    struct SignInOnly: Encodable {
        var signIn: String
        enum CodingKeys: String, CodingKey { case signIn = "sign_in" }
    }

    /// - Parameter reserved: the names the bot uses, which nobody can act as.
    init(registry: CommandRegistry, roles: RoleDirectory, tokens: Bool, reserved: Set<String>) {
        signIn = tokens ? "tokens" : "local"
        people =
            tokens
            ? [] : Set(roles.roles.values.flatMap(\.users)).filter { WebChatUserRules.problem(with: $0, reserved: reserved) == nil }.sorted()
        commands = registry.specs.map { spec in
            Command(
                name: spec.name, summary: spec.summary, usage: spec.usageLine,
                args: spec.args.map {
                    Argument(name: $0.name, type: $0.type.rawValue, values: $0.values, required: $0.isRequired, positional: $0.isPositional)
                })
        }
    }
}
