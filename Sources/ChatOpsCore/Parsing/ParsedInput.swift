import Foundation

/// What a message asks for, once parsed.
public enum ParsedInput: Sendable, Equatable {
    /// A declared command with validated, typed arguments (defaults filled in).
    case command(Invocation)
    /// A built-in command.
    case builtin(BuiltinCommand)
    /// Text that is not addressed to the bot as a command.
    case notACommand
}

/// Commands every bot has, whatever `commands/` holds.
public enum BuiltinCommand: Sendable, Equatable {
    case help(topic: String?)
    /// A vote on an approval, by id, or on the approval of the thread it is typed in when `id` is nil.
    case vote(ApprovalDecision, approvalID: String?, comment: String?)
    case unlock(target: String)
    /// The requester's answer to a proposed command, typed where there are no buttons (`run k7q2m9`).
    case answer(ProposalAnswer, proposalID: String)
}

/// Why typed text could not become a command. The message is written for the person who typed it.
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case unknownCommand
        case unknownArgument
        case missingArgument
        case invalidValue
        case tooManyArguments
        case malformed
    }

    public var kind: Kind
    public var message: String
    /// Closest valid choices, best first.
    public var suggestions: [String]
    /// The command the error concerns, when one was recognised.
    public var command: String?

    public var description: String { message }
}
