import ChatOpsCore
import Foundation

/// The JSON schema an intent answer must match, built from the command files: one alternative per
/// command, `{"command": "<name>", "parameters": {…}}` with each argument typed as declared, plus
/// `{"command": "none", "reason": "…"}`. Keys sort so that `command` comes first, which matters to
/// servers that turn the schema into a grammar in key order.
public enum IntentSchema {
    /// The `command` of an answer that names no command.
    public static let noCommand = "none"
    /// Bounds every string so that a schema-constrained answer always finishes.
    static let maxStringLength = 64

    /// - Parameter specs: the commands a request may turn into.
    public static func schema(for specs: [CommandSpec]) -> JSONValue {
        var alternatives = specs.map(alternative)
        alternatives.append([
            "type": "object",
            "properties": ["command": ["const": .string(noCommand)], "reason": ["type": "string", "maxLength": 200]],
            "required": ["command"], "additionalProperties": false,
        ])
        return ["anyOf": .array(alternatives)]
    }

    static func alternative(_ spec: CommandSpec) -> JSONValue {
        let properties = Dictionary(spec.args.map { ($0.name, property($0)) }, uniquingKeysWith: { $1 })
        return [
            "type": "object",
            "properties": [
                "command": ["const": .string(spec.name)],
                "parameters": [
                    "type": "object", "properties": .object(properties),
                    "required": .array(spec.args.filter(\.isRequired).map { .string($0.name) }), "additionalProperties": false,
                ],
            ],
            "required": ["command", "parameters"], "additionalProperties": false,
        ]
    }

    static func property(_ argument: ArgumentSpec) -> JSONValue {
        var rules: [String: JSONValue]
        switch argument.type {
        case .string:
            // A declared pattern steers grammar-constrained servers away from values the command would refuse.
            rules =
                argument.pattern.map { ["type": "string", "pattern": .string($0)] } ?? [
                    "type": "string", "maxLength": .number(Double(maxStringLength)),
                ]
        case .duration: rules = ["type": "string", "maxLength": 16]
        case .enumeration: rules = ["type": "string", "enum": .array((argument.values ?? []).map { .string($0) })]
        case .boolean: rules = ["type": "boolean"]
        case .percent: rules = ["type": "integer", "minimum": 0, "maximum": 100]
        case .integer:
            rules = ["type": "integer"]
            if let min = argument.min { rules["minimum"] = .number(Double(min)) }
            if let max = argument.max { rules["maximum"] = .number(Double(max)) }
        }
        if let help = argument.help { rules["description"] = .string(help) }
        return .object(rules)
    }
}
