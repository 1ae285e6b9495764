import Crypto
import Foundation

/// A command with its resolved, typed arguments: exactly what will run.
public struct Invocation: Codable, Sendable, Hashable {
    public var command: String
    public var arguments: [String: ArgumentValue]
    /// The command as a person would type it (`deploy fraud v12 --env prod`); for display only,
    /// the fingerprint covers the command and its arguments.
    public var displayText: String

    public init(command: String, arguments: [String: ArgumentValue], displayText: String? = nil) {
        self.command = command
        self.arguments = arguments
        self.displayText =
            displayText ?? ([command] + arguments.keys.sorted().map { "--\($0) \(Self.quoted(arguments[$0]!.typedForm))" }).joined(separator: " ")
    }

    /// The command as one canonical line (`deploy env=prod model=fraud version=v12`), arguments sorted.
    public var canonicalText: String {
        ([command] + arguments.keys.sorted().map { "\($0)=\(Self.quoted(arguments[$0]!.typedForm))" })
            .joined(separator: " ")
    }

    /// SHA-256 of the canonical text: an approval is bound to this value and nothing else runs on it.
    public var fingerprint: String {
        Hex.encode(SHA256.hash(data: Data(canonicalText.utf8)))
    }

    /// Arguments as strings, for templates.
    public var templateValues: [String: String] {
        arguments.mapValues(\.templateValue)
    }

    /// A value as typed on a command line: quoted when it holds spaces or quotes.
    public static func quoted(_ text: String) -> String {
        text.contains(where: { $0.isWhitespace || $0 == "\"" }) ? "\"\(text.replacingOccurrences(of: "\"", with: "\\\""))\"" : text
    }
}
