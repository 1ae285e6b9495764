import Foundation

/// Stops calling a backend that keeps failing, for a while: after `threshold` failures in a row
/// the circuit opens and calls are refused at once until `openFor` has passed; then one call is let
/// through, and its result closes the circuit or opens it again.
public struct CircuitBreaker: Sendable, Equatable {
    /// What a caller may do now.
    public enum Admission: Sendable, Equatable {
        case allowed
        /// Refused without calling; the circuit stays open until the date.
        case refused(until: Date, failures: Int)
    }

    public let threshold: Int
    public let openFor: TimeInterval
    public private(set) var consecutiveFailures = 0
    public private(set) var openUntil: Date?
    private var probing = false

    public init(threshold: Int = 5, openFor: TimeInterval = 60) {
        self.threshold = max(1, threshold)
        self.openFor = openFor
    }

    /// Asks to make a call. An open circuit whose time is up lets one call through (a probe).
    public mutating func admit(now: Date) -> Admission {
        guard let until = openUntil else { return .allowed }
        if now < until || probing { return .refused(until: until, failures: consecutiveFailures) }
        probing = true
        return .allowed
    }

    /// A call that was admitted ended without saying whether the backend answers (it was cancelled):
    /// when it was the probe, the next call may probe instead.
    public mutating func abandonProbe() {
        probing = false
    }

    /// Records how a call that was admitted ended: answered (even with a refusal) or not.
    public mutating func record(available: Bool, now: Date) {
        probing = false
        if available {
            consecutiveFailures = 0
            openUntil = nil
            return
        }
        consecutiveFailures += 1
        if consecutiveFailures >= threshold { openUntil = now.addingTimeInterval(openFor) }
    }
}
