/// How one case of an evaluation came out in one run.
public struct CaseResult: Codable, Sendable, Equatable {
    public var caseID: String
    public var slice: String?
    /// Each check's kind and verdict, in the case's order.
    public var checks: [CheckOutcome]
    /// Why the target gave no answer (a timeout, an HTTP error after retries); each of its checks is
    /// then recorded as an error.
    public var error: String?
    public var latencyMilliseconds: Double?
    /// The start of the target's answer (at most `answerLimit` characters), for the per-case report.
    public var answer: String?

    /// How much of an answer is kept.
    public static let answerLimit = 1_000

    public init(
        caseID: String, slice: String? = nil, checks: [CheckOutcome], error: String? = nil, latencyMilliseconds: Double? = nil, answer: String? = nil
    ) {
        self.caseID = caseID
        self.slice = slice
        self.checks = checks
        self.error = error
        self.latencyMilliseconds = latencyMilliseconds
        self.answer = answer.map { $0.count > Self.answerLimit ? String($0.prefix(Self.answerLimit)) + "…" : $0 }
    }

    /// A case passes when the target answered and every check passed.
    public var passed: Bool { error == nil && !checks.isEmpty && checks.allSatisfy(\.verdict.passed) }

    /// Whether every check of this kind passed (false without an answer), or nil when the case has none.
    public func passed(kind: String) -> Bool? {
        let ofKind = checks.filter { $0.kind == kind }
        guard !ofKind.isEmpty else { return nil }
        return error == nil && ofKind.allSatisfy(\.verdict.passed)
    }
}

/// One check's kind (`contains`) and how it came out.
public struct CheckOutcome: Codable, Sendable, Equatable {
    public var kind: String
    public var verdict: CheckVerdict

    public init(kind: String, verdict: CheckVerdict) {
        self.kind = kind
        self.verdict = verdict
    }
}

/// How one check came out on one answer.
public enum CheckVerdict: Codable, Sendable, Equatable {
    case pass
    /// The answer did not satisfy the check; the detail says how (`no number within 0.5 of 4`).
    case fail(String)
    /// The check could not be judged (the judge model failed or answered out of its schema): reported
    /// apart, and never counted as a pass.
    case error(String)

    public var passed: Bool { self == .pass }
}
