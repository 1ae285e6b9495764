/// A target's answer to one case.
public struct EvalAnswer: Sendable, Equatable {
    public var text: String
    /// From the request's start to the answer's last byte.
    public var latencyMilliseconds: Double

    public init(text: String, latencyMilliseconds: Double) {
        self.text = text
        self.latencyMilliseconds = latencyMilliseconds
    }
}
