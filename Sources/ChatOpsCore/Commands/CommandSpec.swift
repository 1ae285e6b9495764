import Foundation

/// A command as declared in one `commands/<name>.yaml` file.
public struct CommandSpec: Codable, Sendable, Equatable {
    public var name: String
    public var summary: String
    public var usage: String?
    public var aliases: [String]
    public var args: [ArgumentSpec]
    /// Roles allowed to run the command; `"*"` allows everyone.
    public var allow: [String]
    public var approval: ApprovalPolicy?
    /// A Mustache template naming what the command changes (for example `{{model}}@{{env}}`).
    /// Commands with a lock are mutating: one at a time per target.
    public var lock: String?
    public var action: ActionSpec
    /// Path of the summary prompt template, relative to the commands folder.
    public var summaryPrompt: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, summary, usage, aliases, args, allow, approval, lock, action
        case summaryPrompt = "summary_prompt"
    }

    public init(
        name: String, summary: String, usage: String? = nil, aliases: [String] = [], args: [ArgumentSpec] = [],
        allow: [String], approval: ApprovalPolicy? = nil, lock: String? = nil, action: ActionSpec,
        summaryPrompt: String? = nil
    ) {
        self.name = name
        self.summary = summary
        self.usage = usage
        self.aliases = aliases
        self.args = args
        self.allow = allow
        self.approval = approval
        self.lock = lock
        self.action = action
        self.summaryPrompt = summaryPrompt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        summary = try container.decode(String.self, forKey: .summary)
        usage = try container.decodeIfPresent(String.self, forKey: .usage)
        aliases = try container.decodeIfPresent([String].self, forKey: .aliases) ?? []
        args = try container.decodeIfPresent([ArgumentSpec].self, forKey: .args) ?? []
        allow = try container.decode([String].self, forKey: .allow)
        approval = try container.decodeIfPresent(ApprovalPolicy.self, forKey: .approval)
        lock = try container.decodeIfPresent(String.self, forKey: .lock)
        action = try container.decode(ActionSpec.self, forKey: .action)
        summaryPrompt = try container.decodeIfPresent(String.self, forKey: .summaryPrompt)
    }

    /// The usage line: the declared one, or one generated from the arguments.
    public var usageLine: String {
        usage
            ?? ([name] + args.sorted { $0.isPositional && !$1.isPositional }.map(\.usageFragment))
            .joined(separator: " ")
    }

    /// Looks up an argument by name.
    public func argument(named name: String) -> ArgumentSpec? {
        args.first { $0.name == name }
    }
}

/// What a command does: a backend, one of its operations, and templated parameters.
///
/// In YAML every key other than `backend` and `operation` is a parameter template:
/// `{backend: sandbox, operation: deploy, model: "{{model}}"}`.
public struct ActionSpec: Codable, Sendable, Equatable {
    public var backend: String
    public var operation: String
    public var parameters: [String: String]

    public init(backend: String, operation: String, parameters: [String: String] = [:]) {
        self.backend = backend
        self.operation = operation
        self.parameters = parameters
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        backend = try container.decode(String.self, forKey: Key(stringValue: "backend"))
        operation = try container.decode(String.self, forKey: Key(stringValue: "operation"))
        var parameters: [String: String] = [:]
        for key in container.allKeys where key.stringValue != "backend" && key.stringValue != "operation" {
            parameters[key.stringValue] = try container.decode(String.self, forKey: key)
        }
        self.parameters = parameters
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(backend, forKey: Key(stringValue: "backend"))
        try container.encode(operation, forKey: Key(stringValue: "operation"))
        for (key, value) in parameters { try container.encode(value, forKey: Key(stringValue: key)) }
    }
}
