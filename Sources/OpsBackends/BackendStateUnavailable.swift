/// The bot's own store, where a backend keeps its state (the sandbox's fleet), failed: not the
/// backend's failure, so it is never reported as the action's outcome. The job is tried again, and
/// the state's exactly-once record keeps a change that did land from landing twice.
public struct BackendStateUnavailable: Error, Sendable, CustomStringConvertible {
    /// What the store said.
    public var reason: String

    public init(_ underlying: any Error) {
        reason = "\(underlying)"
    }

    public var description: String { "the store that keeps the backend's state failed: \(reason)" }
}
