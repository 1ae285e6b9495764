import Foundation

/// A command file read from `commands/`, decoded and kept with its document for line lookups.
public struct CommandFile: Sendable {
    public var file: String
    public var spec: CommandSpec
    let lines: [String: Int]
    /// Keys the file holds that no command file knows (`approvel:`, `approval.approver:`).
    let unknownKeys: [ValidationIssue]

    /// Every key a command file may hold.
    static let keySchema = KeySchema.fields(
        CommandSpec.CodingKeys.self,
        [
            "args": .list(.fields(ArgumentSpec.CodingKeys.self)),
            "approval": .fields(
                ApprovalPolicy.CodingKeys.self,
                ["requires": .fields(ApprovalRequirements.CodingKeys.self, ["eval": .fields(EvalRequirement.CodingKeys.self)])]),
        ])

    /// Decodes one command file.
    /// - Parameters:
    ///   - file: the path to show in messages.
    ///   - text: the file's content.
    /// - Throws: `ValidationIssue` for syntax errors and missing or mistyped keys.
    public init(file: String, text: String) throws(ValidationIssue) {
        let document = try YAMLDocument(file: file, text: text)
        self.file = file
        self.spec = try document.decode(CommandSpec.self)
        self.unknownKeys = document.unknownKeys(Self.keySchema)
        var lines: [String: Int] = [:]
        for key in ["name", "allow", "approval", "lock", "action", "summary_prompt", "args"] {
            lines[key] = document.line(key)
        }
        for index in spec.args.indices {
            lines["args.\(index)"] = document.line("args", index)
            lines["args.\(index).default"] = document.line("args", index, "default")
            lines["args.\(index).pattern"] = document.line("args", index, "pattern")
        }
        for key in ["when", "approvers", "expires", "count"] {
            lines["approval.\(key)"] = document.line("approval", key)
        }
        for key in spec.action.parameters.keys { lines["action.\(key)"] = document.line("action", key) }
        for key in ["backend", "operation"] { lines["action.\(key)"] = document.line("action", key) }
        self.lines = lines
    }

    func line(_ key: String) -> Int? { lines[key] ?? lines[String(key.split(separator: ".").first ?? "")] }
}

/// Checks what decoding cannot: that names, roles, types, defaults, templates and prompts fit together.
public struct CommandFileValidator: Sendable {
    /// Roles declared in `chatops.yaml`; nil when it could not be read, so roles are not checked.
    public var knownRoles: Set<String>?
    /// Operations each configured backend offers, by backend name.
    public var backendOperations: [String: Set<String>]
    /// Summary prompt templates by their path relative to `commands/`.
    public var prompts: [String: String]

    public init(knownRoles: Set<String>?, backendOperations: [String: Set<String>], prompts: [String: String]) {
        self.knownRoles = knownRoles
        self.backendOperations = backendOperations
        self.prompts = prompts
    }

    /// - Returns: every problem in the file, each with its line.
    public func issues(in command: CommandFile) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func report(_ key: String, _ message: String) {
            issues.append(ValidationIssue(file: command.file, line: command.line(key), message: message))
        }
        issues += command.unknownKeys
        let spec = command.spec
        if spec.name.range(of: "^[a-z][a-z0-9-]{0,31}$", options: .regularExpression) == nil {
            report("name", "command name `\(spec.name)` must be lower-case letters, digits and dashes")
        }
        checkArguments(spec, report)
        checkRoles(spec.allow, key: "allow", report)
        if let approval = spec.approval { checkApproval(approval, spec: spec, report) }
        let argumentNames = Set(spec.args.map(\.name))
        if let lock = spec.lock { checkTemplate(lock, key: "lock", names: argumentNames, report) }
        for (key, template) in spec.action.parameters {
            checkTemplate(template, key: "action.\(key)", names: argumentNames, report)
        }
        if let operations = backendOperations[spec.action.backend] {
            if !operations.contains(spec.action.operation) {
                report(
                    "action.operation",
                    "backend `\(spec.action.backend)` has no operation `\(spec.action.operation)`; it offers \(operations.sorted().joined(separator: ", "))"
                )
            }
        } else {
            let close = EditDistance.closest(to: spec.action.backend, among: Array(backendOperations.keys))
            report(
                "action.backend",
                "unknown backend `\(spec.action.backend)`"
                    + (close.isEmpty
                        ? "; configured: \(backendOperations.keys.sorted().joined(separator: ", "))"
                        : "; did you mean \(close.joined(separator: ", "))?"))
        }
        if let prompt = spec.summaryPrompt {
            if let text = prompts[prompt] {
                do { _ = try TemplateRenderer.compile(text) } catch {
                    report("summary_prompt", "prompt `\(prompt)` line \(error.line ?? 1): \(error.message)")
                }
            } else {
                report("summary_prompt", "prompt file `\(prompt)` does not exist under commands/")
            }
        }
        return issues
    }

    private func checkArguments(_ spec: CommandSpec, _ report: (String, String) -> Void) {
        var seen = Set<String>()
        var sawOptionalPositional = false
        let usedByAction = Set(spec.action.parameters.values.flatMap { TemplateRenderer.variables(in: $0) })
        for (index, argument) in spec.args.enumerated() {
            let key = "args.\(index)"
            if !seen.insert(argument.name).inserted { report(key, "argument `\(argument.name)` is declared twice") }
            if argument.isPositional {
                if !argument.isRequired {
                    sawOptionalPositional = true
                } else if sawOptionalPositional {
                    report(key, "required positional argument `\(argument.name)` comes after an optional one")
                }
            }
            switch argument.type {
            case .enumeration where (argument.values ?? []).isEmpty:
                report(key, "enum argument `\(argument.name)` needs `values`")
            case .string:
                if let pattern = argument.pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
                    report("\(key).pattern", "`\(pattern)` is not a valid regular expression")
                }
                if argument.pattern == nil, usedByAction.contains(argument.name) {
                    report(
                        key,
                        "string argument `\(argument.name)` is used in the action; give it a `pattern` so a value cannot change what the action does (a path, JSON, a program argument)"
                    )
                }
            case .integer:
                if let min = argument.min, let max = argument.max, min > max { report(key, "min \(min) is above max \(max)") }
            default:
                break
            }
            if let defaultValue = argument.defaultValue {
                do { _ = try argument.parseValue(defaultValue) } catch {
                    report("\(key).default", "default of `\(argument.name)`: \(error.message)")
                }
            }
        }
    }

    private func checkApproval(_ approval: ApprovalPolicy, spec: CommandSpec, _ report: (String, String) -> Void) {
        checkRoles(approval.approvers, key: "approval.approvers", report)
        if approval.count < 1 { report("approval.count", "approval count must be at least 1") }
        if DurationFormat.parse(approval.expires) == nil {
            report("approval.expires", "`\(approval.expires)` is not a duration (try 30m, 2h, 1d)")
        }
        if let eval = approval.requires?.eval {
            if spec.argument(named: "model") == nil {
                report(
                    "approval.requires",
                    "`requires: {eval: …}` needs the command to have a `model` argument (and a `version` one) to name what was evaluated")
            }
            if DurationFormat.parse(eval.maxAge) == nil { report("approval.requires", "`max_age: \(eval.maxAge)` is not a duration (try 24h, 7d)") }
            if !["promote", "hold", "reject"].contains(eval.verdict) {
                report("approval.requires", "`verdict: \(eval.verdict)` is not promote, hold or reject")
            }
        }
        for (name, accepted) in approval.when ?? [:] {
            guard let argument = spec.argument(named: name) else {
                report("approval.when", "`when` refers to `\(name)`, which is not an argument of `\(spec.name)`")
                continue
            }
            for value in accepted.values {
                do { _ = try argument.parseValue(value) } catch {
                    report("approval.when", "`when: {\(name): \(value)}`: \(error.message)")
                }
            }
        }
    }

    private func checkRoles(_ roles: [String], key: String, _ report: (String, String) -> Void) {
        guard let knownRoles else { return }
        for role in roles where role != AccessRules.everyone && !knownRoles.contains(role) {
            let close = EditDistance.closest(to: role, among: Array(knownRoles))
            report(key, "role `\(role)` is not defined in chatops.yaml" + (close.isEmpty ? "" : "; did you mean \(close.joined(separator: ", "))?"))
        }
    }

    private func checkTemplate(_ template: String, key: String, names: Set<String>, _ report: (String, String) -> Void) {
        do { _ = try TemplateRenderer.compile(template) } catch {
            report(key, error.message)
            return
        }
        for variable in TemplateRenderer.variables(in: template) where !names.contains(variable) {
            report(key, "template `\(template)` uses `\(variable)`, which is not an argument")
        }
    }
}
