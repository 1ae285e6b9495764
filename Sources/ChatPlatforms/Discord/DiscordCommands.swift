import ChatOpsCore
import Foundation

/// The bot's slash commands as Discord registers them (discord.com/developers/docs/interactions/application-commands),
/// made from the command files for `chatops discord-register`: one command per command file, plus the built-ins people
/// type (`help`, `approve`, `reject`, `unlock`). Each argument becomes an option of the same name, so the text
/// `DiscordInteractionDecoder` makes of an interaction (`deploy model=fraud version=v12 env=prod`) is what the command
/// parser reads as named arguments.
///
/// - `string` and `duration` arguments are string options (type 3); `enum` ones too, with their values as `choices`
///   when there are at most 25; `integer` and `percent` are integer options (type 4) with their bounds (`min_value`,
///   `max_value`); `boolean` is a boolean option (type 5).
/// - An argument with a default, or marked optional, is not required; required options come first, as Discord demands.
/// - Aliases are not registered: each would be one more command in the menu and count against Discord's 100.
public enum DiscordCommands {
    /// Discord's limit on global (and per-server) slash commands.
    public static let maxCommands = 100
    static let maxOptions = 25
    static let maxChoices = 25
    static let maxDescription = 100
    static let maxChoiceValue = 100
    static let maxName = 32

    /// Option types (Application Command Option Type).
    enum OptionType: Int {
        case string = 3, integer = 4, boolean = 5
    }

    /// Every command's definition: the command files' (in name order), then the built-ins.
    /// - Throws: `DiscordCommandsError` for a name Discord refuses, or more commands or options than it takes.
    public static func definitions(registry: CommandRegistry) throws(DiscordCommandsError) -> [JSONValue] {
        var commands: [JSONValue] = []
        for spec in registry.specs { commands.append(try command(spec)) }
        commands += builtins(commandNames: registry.specs.map(\.name))
        guard commands.count <= maxCommands else {
            throw DiscordCommandsError(description: "\(commands.count) commands; Discord registers at most \(maxCommands)")
        }
        return commands
    }

    /// Replaces the application's commands with `definitions` in one request, globally or in one server (a bulk
    /// overwrite: running it again with the same list changes nothing, and a command no longer listed is removed).
    /// - Parameters:
    ///   - definitions: from `definitions(registry:)`.
    ///   - guild: the server's id; nil registers the commands globally.
    ///   - client: a client with the bot token and the application's id.
    /// - Returns: the commands as Discord now keeps them, each with its `id`.
    /// - Throws: `DiscordAPIError` when Discord refuses (a wrong token, an application that is not the bot's, a form error).
    public static func register(_ definitions: [JSONValue], guild: String?, with client: DiscordRESTClient) async throws -> [JSONValue] {
        let application = client.settings.applicationID
        let path = guild.map { "/applications/\(application)/guilds/\($0)/commands" } ?? "/applications/\(application)/commands"
        return try await client.send(.PUT, path, json: .array(definitions))?.array ?? []
    }

    /// One command file's command.
    static func command(_ spec: CommandSpec) throws(DiscordCommandsError) -> JSONValue {
        try checkName(spec.name, of: "command `\(spec.name)`")
        guard spec.args.count <= maxOptions else {
            throw DiscordCommandsError(description: "`\(spec.name)` has \(spec.args.count) arguments; a Discord command takes at most \(maxOptions)")
        }
        var options: [JSONValue] = []
        for argument in spec.args.filter(\.isRequired) + spec.args.filter({ !$0.isRequired }) {
            try checkName(argument.name, of: "argument `\(argument.name)` of `\(spec.name)`")
            options.append(option(argument))
        }
        return definition(name: spec.name, description: spec.summary, options: options)
    }

    /// A slash command (type 1, CHAT_INPUT).
    static func definition(name: String, description: String, options: [JSONValue]) -> JSONValue {
        ["name": .string(name), "type": 1, "description": .string(fitted(description, or: name)), "options": .array(options)]
    }

    /// The option that fills one argument.
    static func option(_ argument: ArgumentSpec) -> JSONValue {
        var option: [String: JSONValue] = [
            "name": .string(argument.name), "type": .number(Double(optionType(of: argument).rawValue)),
            "description": .string(description(of: argument)), "required": .bool(argument.isRequired),
        ]
        switch argument.type {
        case .enumeration:
            option["choices"] = choices(argument.values ?? [])
        case .integer:
            option["min_value"] = argument.min.map { JSONValue.number(Double($0)) }
            option["max_value"] = argument.max.map { JSONValue.number(Double($0)) }
        case .percent:
            option["min_value"] = 0
            option["max_value"] = 100
        case .string, .duration, .boolean:
            break
        }
        return .object(option)
    }

    static func optionType(of argument: ArgumentSpec) -> OptionType {
        switch argument.type {
        case .integer, .percent: return .integer
        case .boolean: return .boolean
        case .string, .enumeration, .duration: return .string
        }
    }

    /// The values as choices; nil (any text, which the parser checks) when Discord would refuse them as choices.
    static func choices(_ values: [String]) -> JSONValue? {
        guard !values.isEmpty, values.count <= maxChoices, values.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.count <= maxChoiceValue }) else {
            return nil
        }
        return .array(values.map { ["name": .string($0), "value": .string($0)] })
    }

    /// The argument's help, or what its type takes, and its default, which Discord does not show otherwise.
    static func description(of argument: ArgumentSpec) -> String {
        let said = argument.help ?? explanation(of: argument)
        return fitted(argument.defaultValue.map { "\(said) (default \($0))" } ?? said, or: argument.name)
    }

    static func explanation(of argument: ArgumentSpec) -> String {
        switch argument.type {
        case .string: return argument.name
        case .enumeration: return "one of " + (argument.values ?? []).joined(separator: ", ")
        case .integer: return "a whole number"
        case .percent: return "a percentage, 0 to 100"
        case .duration: return "a duration such as 30s, 15m, 2h or 1d"
        case .boolean: return "true or false"
        }
    }

    /// The built-ins a person types. `approve` and `reject` without a request vote on the pending request of the
    /// thread they are typed in; `run` and `cancel` are left out: on Discord, proposals are answered with buttons.
    static func builtins(commandNames: [String]) -> [JSONValue] {
        var topic: [String: JSONValue] = ["name": "topic", "type": 3, "description": "a command to explain", "required": false]
        topic["choices"] = choices(commandNames)
        let request: JSONValue = [
            "name": "request", "type": 3, "required": false,
            "description": "the request's id, shown on its message (leave it out in the request's thread)",
        ]
        let target: JSONValue = ["name": "target", "type": 3, "required": true, "description": "the locked target, such as fraud@prod"]
        return [
            definition(name: "help", description: "List the commands you may run, or explain one", options: [.object(topic)]),
            definition(name: "approve", description: "Approve a pending request", options: [request]),
            definition(name: "reject", description: "Reject a pending request, or withdraw your own", options: [request]),
            definition(name: "unlock", description: "Release a lock (its holder or an admin)", options: [target]),
        ]
    }

    /// Discord's names: 1 to 32 lower-case letters (of any script), digits, `-`, `_` or `'`.
    static func checkName(_ name: String, of what: String) throws(DiscordCommandsError) {
        let scalars = name.unicodeScalars
        let allowed = scalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || "-_'".unicodeScalars.contains($0) }
        guard (1...maxName).contains(scalars.count), allowed, name == name.lowercased() else {
            throw DiscordCommandsError(description: "\(what): a Discord name is 1 to \(maxName) lower-case letters, digits, `-`, `_` or `'`")
        }
    }

    /// A description of 1 to 100 characters: the text, cut with `…` when longer; `fallback` when it is empty.
    static func fitted(_ text: String, or fallback: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return DiscordMessage.fitted(trimmed.isEmpty ? fallback : trimmed, room: maxDescription)
    }
}

/// A command file Discord cannot register as a slash command; the description names the command and why.
public struct DiscordCommandsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
