import Foundation

/// The set of commands the bot knows: those loaded from `commands/` plus the built-ins.
public struct CommandRegistry: Sendable {
    /// Built-in commands that no file declares.
    public static let builtinNames = ["help", "approve", "reject", "unlock", "run", "cancel"]

    public let specs: [CommandSpec]
    private let byName: [String: CommandSpec]

    /// - Parameter specs: the loaded command files.
    /// - Throws: `RegistryError` when two commands (or aliases) share a name or shadow a built-in.
    public init(specs: [CommandSpec]) throws(RegistryError) {
        var byName: [String: CommandSpec] = [:]
        for spec in specs {
            for name in [spec.name] + spec.aliases {
                let key = name.lowercased()
                if Self.builtinNames.contains(key) { throw RegistryError(message: "`\(name)` is a built-in command") }
                if let existing = byName[key] {
                    throw RegistryError(message: "`\(name)` is declared by both `\(existing.name)` and `\(spec.name)`")
                }
                byName[key] = spec
            }
        }
        self.specs = specs.sorted { $0.name < $1.name }
        self.byName = byName
    }

    /// - Returns: the command with this name or alias.
    public func command(named name: String) -> CommandSpec? {
        byName[name.lowercased()]
    }

    /// Every name a user may type, built-ins included.
    public var allNames: [String] {
        (Array(byName.keys) + Self.builtinNames).sorted()
    }

    /// - Returns: the valid command names closest to a mistyped one.
    public func suggestions(for name: String) -> [String] {
        EditDistance.closest(to: name, among: allNames)
    }

    /// - Parameter roles: the roles of the person asking.
    /// - Returns: the commands that person may run, by name.
    public func commands(visibleTo roles: Set<String>) -> [CommandSpec] {
        specs.filter { AccessRules.isAllowed(roles: roles, allow: $0.allow) }
    }
}

/// Two command files conflict.
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
