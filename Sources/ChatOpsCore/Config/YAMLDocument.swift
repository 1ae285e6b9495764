import Foundation
import Yams

/// A parsed YAML file that can decode itself and say on which line any part of it sits.
public struct YAMLDocument {
    public let file: String
    public let text: String
    let root: Node?

    /// - Throws: `ValidationIssue` naming the line of a syntax error.
    public init(file: String, text: String) throws(ValidationIssue) {
        self.file = file
        self.text = text
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ValidationIssue(file: file, line: Self.line(of: error), message: "YAML syntax error: \(Self.summary(of: error))")
        } catch {
            throw ValidationIssue(file: file, line: nil, message: "YAML syntax error: \(error)")
        }
    }

    private init(file: String, text: String, root: Node?) {
        self.file = file
        self.text = text
        self.root = root
    }

    /// The document with every scalar value (not key) passed through `transform`, which also gets
    /// the value's line and returns the new value and whether it is now read as a plain (unquoted)
    /// value. Used to expand `${VAR}` after parsing, so a value can never change the document's structure.
    public func mappingValues(_ transform: (String, Int?) -> (value: String, plain: Bool)) -> YAMLDocument {
        func map(_ node: Node) -> Node {
            switch node {
            case .scalar(var scalar):
                let (value, plain) = transform(scalar.string, scalar.mark?.line)
                scalar.string = value
                if plain { scalar.style = .plain }
                return .scalar(scalar)
            case .mapping(let mapping):
                return .mapping(Node.Mapping(mapping.map { ($0.key, map($0.value)) }, mapping.tag, mapping.style, mapping.mark))
            case .sequence(let sequence):
                return .sequence(Node.Sequence(sequence.map(map), sequence.tag, sequence.style, sequence.mark))
            case .alias:
                return node
            }
        }
        return YAMLDocument(file: file, text: text, root: root.map(map))
    }

    /// Decodes the document, turning decoding errors into issues with lines.
    public func decode<T: Decodable>(_ type: T.Type) throws(ValidationIssue) -> T {
        do {
            if let root { return try YAMLDecoder().decode(type, from: root) }
            return try YAMLDecoder().decode(type, from: text)
        } catch let error as DecodingError {
            let (path, message) = Self.describe(error)
            throw ValidationIssue(file: file, line: line(at: path), message: message)
        } catch {
            throw ValidationIssue(file: file, line: nil, message: "\(error)")
        }
    }

    /// The 1-based line of the node at `path` (keys and list indexes), or of its nearest parent.
    public func line(at path: [any CodingKey]) -> Int? {
        var node = root
        var line = root?.mark?.line
        for key in path {
            guard let current = node else { break }
            if let index = key.intValue, let sequence = current.sequence, sequence.indices.contains(index) {
                node = sequence[index]
            } else {
                node = current[key.stringValue]
            }
            if let mark = node?.mark { line = mark.line }
        }
        return line
    }

    /// Convenience for semantic checks: a path of names and indexes.
    public func line(_ components: any PathComponent...) -> Int? {
        line(at: components.map(\.codingKey))
    }

    private static func describe(_ error: DecodingError) -> ([any CodingKey], String) {
        func dotted(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let place = context.codingPath.isEmpty ? "" : " in `\(dotted(context.codingPath))`"
            return (context.codingPath, "missing key `\(key.stringValue)`\(place)")
        case .typeMismatch(let type, let context):
            return (context.codingPath, "`\(dotted(context.codingPath))` has the wrong type (expected \(typeName(type)))")
        case .valueNotFound(let type, let context):
            return (context.codingPath, "`\(dotted(context.codingPath))` is empty (expected \(typeName(type)))")
        case .dataCorrupted(let context):
            let detail = context.debugDescription
            return (context.codingPath, "`\(dotted(context.codingPath))`: \(detail)")
        @unknown default:
            return ([], "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String": return "text"
        case "Int": return "a whole number"
        case "Bool": return "true or false"
        default: return name.hasPrefix("Array") ? "a list" : name.hasPrefix("Dictionary") ? "a mapping" : name
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }
}

/// A step in a path into a YAML document: a key or a list index.
public protocol PathComponent {
    var codingKey: any CodingKey { get }
}

struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension String: PathComponent {
    public var codingKey: any CodingKey { PathKey(stringValue: self) }
}

extension Int: PathComponent {
    public var codingKey: any CodingKey { PathKey(intValue: self) }
}
