import Foundation

/// Turns a request in plain words (`roll back the fraud model in prod please`) into a command a
/// person can confirm. An interpreter only proposes: nothing runs until the requester clicks Run.
public protocol IntentInterpreter: Sendable {
    /// - Parameter text: what the person wrote, without the mention of the bot.
    /// - Returns: the command understood, or why none was.
    func interpret(_ text: String) async -> IntentResult
}

/// What an interpreter made of a request.
public enum IntentResult: Sendable, Equatable {
    /// A command that parses and validates exactly as if it had been typed.
    case understood(Invocation, interpretedBy: String)
    /// No valid command; `reason` says why, for the reply and the audit log.
    case notUnderstood(reason: String)
}
