import Foundation

/// What a backend is asked to do: an operation with parameters rendered from the command's templates.
public struct Action: Codable, Sendable, Equatable {
    public var backend: String
    public var operation: String
    public var parameters: [String: String]
    /// The invocation the action came from.
    public var invocation: Invocation

    public init(backend: String, operation: String, parameters: [String: String], invocation: Invocation) {
        self.backend = backend
        self.operation = operation
        self.parameters = parameters
        self.invocation = invocation
    }

    /// Renders a command's action templates with the invocation's arguments.
    /// - Throws: `TemplateRenderer.TemplateError` when a template is broken (`validate` catches this first).
    public init(spec: ActionSpec, invocation: Invocation) throws(TemplateRenderer.TemplateError) {
        var parameters: [String: String] = [:]
        let values = invocation.templateValues
        for (key, template) in spec.parameters {
            parameters[key] = try TemplateRenderer.render(template, values: values)
        }
        self.init(backend: spec.backend, operation: spec.operation, parameters: parameters, invocation: invocation)
    }
}
