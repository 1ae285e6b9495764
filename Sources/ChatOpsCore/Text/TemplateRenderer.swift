import Foundation
import Mustache

/// Renders the Mustache templates of command files (action parameters, lock targets) as plain text.
public enum TemplateRenderer {
    /// A template that could not be parsed.
    public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var line: Int?
        public var description: String { message }
    }

    /// - Parameters:
    ///   - template: Mustache text such as `models-{{env}}`.
    ///   - values: the variables.
    /// - Returns: the rendered text, without HTML escaping.
    public static func render(_ template: String, values: [String: String]) throws(TemplateError) -> String {
        try compile(template).render(values)
    }

    /// Parses a template once, to check it or to render it many times.
    public static func compile(_ template: String) throws(TemplateError) -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: "{{%CONTENT_TYPE:TEXT}}" + template)
        } catch let error as MustacheTemplate.ParserError {
            throw TemplateError(message: "template error: \(error.error) near `\(error.context.line)`", line: error.context.lineNumber)
        } catch {
            throw TemplateError(message: "template error: \(error)", line: nil)
        }
    }

    /// The variable names a template refers to (`{{model}}`, `{{#canary}}` …).
    public static func variables(in template: String) -> Set<String> {
        var names = Set<String>()
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            let tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            let name = tag.drop { "#^/&{!>%<$=".contains($0) }.trimmingCharacters(in: CharacterSet(charactersIn: " }"))
            if !tag.hasPrefix("!"), !tag.hasPrefix(">"), !tag.hasPrefix("%"), !name.isEmpty, name != "." {
                names.insert(String(name.split(separator: ".").first ?? Substring(name)))
            }
        }
        return names
    }
}
