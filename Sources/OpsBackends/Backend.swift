import ChatOpsCore
import Foundation

/// Something that can run actions: a cluster, a model registry, a metrics server, the sandbox.
public protocol Backend: Sendable {
    /// The name commands use in `action.backend`.
    var name: String { get }
    /// The operations commands may name in `action.operation`.
    var operations: Set<String> { get }
    /// Runs one action.
    /// - Parameters:
    ///   - action: the operation and its rendered parameters.
    ///   - context: the execution id (stable across retries of the same job) and a progress sink.
    /// - Returns: what happened. Failures the user should read are returned as a failed `Outcome`
    ///   or thrown as `BackendError`; anything else is reported as an internal error.
    func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome
}

/// What a backend gets besides the action.
public struct ExecutionContext: Sendable {
    /// Stable across retries of the same job: backends use it to apply a change at most once.
    public var executionID: String
    public var requester: Principal
    /// Reports progress (`rolling out: 2/3 ready`); platforms that can edit messages show it in place.
    public var progress: @Sendable (String) async -> Void

    public init(executionID: String, requester: Principal, progress: @escaping @Sendable (String) async -> Void = { _ in }) {
        self.executionID = executionID
        self.requester = requester
        self.progress = progress
    }
}

/// A failure written for the person who ran the command (`deployment fraud@prod not found`).
public struct BackendError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// True when the backend did not answer at all (refused connection, timeout), as opposed to
    /// answering with a refusal; such failures count toward opening its circuit.
    public var unavailable: Bool

    public init(_ message: String, unavailable: Bool = false) {
        self.message = message
        self.unavailable = unavailable
    }

    public var description: String { message }
}

extension Action {
    /// A required parameter, or a `BackendError` naming it.
    public func parameter(_ name: String) throws(BackendError) -> String {
        guard let value = parameters[name], !value.isEmpty else {
            throw BackendError("`\(operation)` needs the parameter `\(name)`; check the command's action in commands/")
        }
        return value
    }

    /// `arg1`, `arg2`, … in order, each one argument; the first missing number ends the list.
    public var numberedArguments: [String] {
        var arguments: [String] = []
        while let value = parameters["arg\(arguments.count + 1)"] { arguments.append(value) }
        return arguments
    }

    /// An optional parameter; empty text counts as absent.
    public func optionalParameter(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }
}
