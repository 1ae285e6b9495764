import Foundation

/// Turns what people type into commands.
///
/// Accepted forms: `/deploy fraud v12 --env prod`, `/mlops deploy fraud v12 env=prod` (one root
/// command with sub-commands), `@bot deploy fraud v12`, and plain `deploy fraud v12` where the bot
/// is addressed directly. Values may be quoted. A command file named `eval-cancel` is also typed
/// `eval cancel`, as a sub-command of `eval`: its name comes before any value of `eval`'s.
public struct CommandParser: Sendable {
    public let registry: CommandRegistry
    /// The single root slash command that takes sub-commands (`mlops`).
    public let rootCommand: String?
    /// Names the bot answers to when mentioned (`@chatops`).
    public let botNames: [String]

    public init(registry: CommandRegistry, rootCommand: String? = "mlops", botNames: [String] = ["chatops"]) {
        self.registry = registry
        self.rootCommand = rootCommand?.lowercased()
        self.botNames = botNames.map { $0.lowercased() }
    }

    /// - Parameter text: the message as typed.
    /// - Returns: the parsed input.
    /// - Throws: `ParseError` with a message for the user and the closest valid choices.
    public func parse(_ text: String) throws(ParseError) -> ParsedInput {
        var words: [String]
        do {
            words = try Tokenizer.split(text)
        } catch {
            throw ParseError(kind: .malformed, message: "A quote is not closed.", suggestions: [], command: nil)
        }
        words = stripAddressing(words)
        guard var name = words.first?.lowercased() else { return .notACommand }
        if name.hasPrefix("/") { name.removeFirst() }
        var rest = Array(words.dropFirst())
        if let rootCommand, name == rootCommand {
            guard let sub = rest.first?.lowercased() else { return .builtin(.help(topic: nil)) }
            name = sub
            rest.removeFirst()
        }
        if let builtin = try Self.parseBuiltin(name, rest) { return .builtin(builtin) }
        // `eval cancel r1` is the command `eval-cancel` when one is declared: a command's sub-command.
        if let sub = rest.first?.lowercased(), registry.command(named: name) != nil, let spec = registry.command(named: "\(name)-\(sub)") {
            return .command(try ArgumentBinder(spec: spec).bind(Array(rest.dropFirst())))
        }
        guard let spec = registry.command(named: name) else {
            let suggestions = registry.suggestions(for: name)
            let hint = suggestions.isEmpty ? "" : " Did you mean " + suggestions.map { "`\($0)`" }.joined(separator: ", ") + "?"
            throw ParseError(
                kind: .unknownCommand, message: "I don't know the command `\(name)`.\(hint) Type `help` for the list.",
                suggestions: suggestions, command: nil)
        }
        return .command(try ArgumentBinder(spec: spec).bind(rest))
    }

    /// The words of a message without the mention of the bot or the root command, as written:
    /// `@chatops roll back fraud please` → `roll back fraud please`. Platforms strip their own
    /// mention syntax (`<@U0BOT>`) before the text reaches the parser.
    public func request(in text: String) -> String {
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        words = stripAddressing(words)
        if let first = words.first?.lowercased(), let rootCommand, first == rootCommand || first == "/" + rootCommand {
            words.removeFirst()
        }
        return words.joined(separator: " ")
    }

    private func stripAddressing(_ words: [String]) -> [String] {
        guard let first = words.first else { return words }
        var lowered = Substring(first.lowercased())
        while let character = lowered.first, character == ":" || character == "," { lowered.removeFirst() }
        while let character = lowered.last, character == ":" || character == "," { lowered.removeLast() }
        let isMention = lowered.hasPrefix("@") && botNames.contains(String(lowered.dropFirst()))
        return isMention ? Array(words.dropFirst()) : words
    }

    /// Whether a message whose first word is `word` answers a pending request (a vote, or Run or
    /// Cancel on a proposed command), by the built-ins themselves: in a thread such a message is a
    /// command, other chatter is not.
    public static func answersPendingRequest(_ word: String) -> Bool {
        switch try? parseBuiltin(word.lowercased(), ["request"]) {
        case .vote?, .answer?: return true
        default: return false
        }
    }

    private static func parseBuiltin(_ name: String, _ rest: [String]) throws(ParseError) -> BuiltinCommand? {
        switch name {
        case "help":
            return .help(topic: rest.first?.lowercased())
        case "approve", "lgtm":
            return .vote(.approve, approvalID: rest.first, comment: rest.dropFirst().joined(separator: " ").nilIfEmpty)
        case "reject", "deny":
            return .vote(.reject, approvalID: rest.first, comment: rest.dropFirst().joined(separator: " ").nilIfEmpty)
        case "run", "cancel":
            guard let id = rest.first, rest.count == 1 else {
                throw ParseError(
                    kind: .missingArgument, message: "Say which proposal: `\(name) <id>`, with the id shown under the proposed command.",
                    suggestions: [], command: name)
            }
            return .answer(name == "run" ? .run : .cancel, proposalID: id)
        case "unlock":
            guard let target = rest.first else {
                throw ParseError(
                    kind: .missingArgument, message: "Say which lock to release: `unlock <target>`.", suggestions: [],
                    command: "unlock")
            }
            return .unlock(target: target)
        default:
            return nil
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
