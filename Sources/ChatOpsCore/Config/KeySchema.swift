import Foundation
import Yams

/// The keys a YAML document may hold, so that a misspelt key (`srever:`, `postgress:`) is named
/// with its line and the closest known key instead of being silently ignored.
public indirect enum KeySchema: Sendable {
    /// A mapping with these keys, each value described by its own schema.
    case mapping([String: KeySchema])
    /// A mapping whose keys are names chosen by the user (roles, models, backends), each value alike.
    case dictionary(KeySchema)
    /// A list whose items are alike.
    case list(KeySchema)
    /// A scalar, or a value whose keys are free (action parameters, headers).
    case anything

    /// A mapping with exactly the keys of a `CodingKeys` enum; `nested` describes values that have keys of their own.
    public static func fields<Key: CodingKey & CaseIterable>(_ keys: Key.Type, _ nested: [String: KeySchema] = [:]) -> KeySchema {
        .mapping(Dictionary(uniqueKeysWithValues: keys.allCases.map { ($0.stringValue, nested[$0.stringValue] ?? .anything) }))
    }
}

extension YAMLDocument {
    /// Every key the schema does not know, with its line and the closest known keys.
    public func unknownKeys(_ schema: KeySchema) -> [ValidationIssue] {
        guard let root else { return [] }
        var issues: [ValidationIssue] = []
        Self.check(root, schema, path: [], file: file, into: &issues)
        return issues
    }

    private static func check(_ node: Node, _ schema: KeySchema, path: [String], file: String, into issues: inout [ValidationIssue]) {
        switch (schema, node) {
        case (.mapping(let known), .mapping(let mapping)):
            for (key, value) in mapping {
                // `<<` merges another mapping in (YAML's merge key); `x-…` keys hold anchors to merge from.
                guard let name = key.string, name != "<<", !name.hasPrefix("x-") else { continue }
                if let child = known[name] {
                    check(value, child, path: path + [name], file: file, into: &issues)
                    continue
                }
                let place = path.isEmpty ? "at the top level" : "in `\(path.joined(separator: "."))`"
                let close = EditDistance.closest(to: name, among: Array(known.keys))
                let hint = close.isEmpty ? "known keys: \(known.keys.sorted().joined(separator: ", "))" : "did you mean `\(close[0])`?"
                issues.append(ValidationIssue(file: file, line: key.mark?.line, message: "unknown key `\(name)` \(place); \(hint)"))
            }
        case (.dictionary(let each), .mapping(let mapping)):
            for (key, value) in mapping { check(value, each, path: path + [key.string ?? "?"], file: file, into: &issues) }
        case (.list(let each), .sequence(let sequence)):
            for (index, item) in sequence.enumerated() { check(item, each, path: path + ["[\(index)]"], file: file, into: &issues) }
        default:
            return
        }
    }
}
