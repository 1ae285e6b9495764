import Foundation

/// Builds `help` replies from the command files, showing each person only what they may run.
public enum HelpFormatter {
    /// - Parameters:
    ///   - registry: all commands.
    ///   - roles: the roles of the person asking.
    ///   - topic: a command name for detailed help, or nil for the list.
    public static func help(registry: CommandRegistry, roles: Set<String>, topic: String?) -> Reply {
        let visible = registry.commands(visibleTo: roles)
        if let topic, let spec = registry.command(named: topic), visible.contains(spec) {
            var fields = spec.args.map { argument in
                Fact(argument.name, describe(argument))
            }
            if let approval = spec.approval {
                let when =
                    approval.when.map {
                        " when " + $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.values.joined(separator: "|"))" }.joined(separator: ", ")
                    } ?? ""
                fields.append(
                    Fact("approval", "\(approval.count) × \(approval.approvers.joined(separator: "/"))\(when), expires after \(approval.expires)"))
            }
            return Reply(title: spec.name, text: "\(spec.summary)\nUsage: `\(spec.usageLine)`", fields: fields, ephemeral: true)
        }
        if visible.isEmpty {
            return Reply(
                tone: .warning, text: "You have no roles that can run commands here. Ask an admin to add you to a role in chatops.yaml.",
                ephemeral: true)
        }
        let rows = [["command", "what it does"]] + visible.map { ["`\($0.usageLine)`", $0.summary] }
        let builtins = "Also: `help <command>`, `approve <id>`, `reject <id>`, `unlock <target>`."
        return Reply(title: "Commands you can run", text: builtins, table: rows, ephemeral: true)
    }

    private static func describe(_ argument: ArgumentSpec) -> String {
        var parts = [argument.type.rawValue]
        if let values = argument.values { parts.append(values.joined(separator: "|")) }
        if let min = argument.min, let max = argument.max { parts.append("\(min)–\(max)") }
        if let defaultValue = argument.defaultValue { parts.append("default \(defaultValue)") }
        if argument.isRequired { parts.append("required") } else if argument.defaultValue == nil { parts.append("optional") }
        if let help = argument.help { parts.append(help) }
        return parts.joined(separator: ", ")
    }
}
