/// How one check came out on one answer.
public enum CheckVerdict: Sendable, Equatable {
    case pass
    /// The answer did not satisfy the check; the detail says how (`no number within 0.5 of 4`).
    case fail(String)
    /// The check could not be judged (the judge model failed or answered out of its schema): reported
    /// apart, and never counted as a pass.
    case error(String)

    public var passed: Bool { self == .pass }
}

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
