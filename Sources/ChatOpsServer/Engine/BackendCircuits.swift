import ChatOpsCore
import Foundation

/// How long one action of a backend may take, and when its circuit opens.
public struct BackendLimits: Sendable {
    /// Bounds each action as a whole (all its requests, a rollout, a program).
    public var actionTimeout: Duration
    /// Failures in a row (no answer, timeouts) that open the circuit.
    public var circuitFailures: Int
    /// How long an open circuit refuses calls before one is tried again.
    public var circuitOpen: TimeInterval

    public init(actionTimeout: Duration = .seconds(900), circuitFailures: Int = 5, circuitOpen: TimeInterval = 60) {
        self.actionTimeout = actionTimeout
        self.circuitFailures = circuitFailures
        self.circuitOpen = circuitOpen
    }
}

/// A job that waits for its backend's circuit to close: it is put back for `until` without counting
/// as an attempt.
public struct BackendUnavailable: Error, CustomStringConvertible {
    public var backend: String
    public var until: Date
    public var description: String { "the backend `\(backend)` is unavailable until \(until)" }
}

/// The circuit of every backend, shared by the workers of one process.
actor BackendCircuits {
    private var breakers: [String: CircuitBreaker] = [:]
    private let limits: [String: BackendLimits]

    init(limits: [String: BackendLimits]) {
        self.limits = limits
    }

    func limits(of backend: String) -> BackendLimits {
        limits[backend] ?? BackendLimits()
    }

    /// When the backend's circuit is open, until when; nil when a call would be let through.
    func openUntil(_ backend: String, now: Date) -> Date? {
        guard let breaker = breakers[backend], let until = breaker.openUntil, now < until else { return nil }
        return until
    }

    func admit(_ backend: String, now: Date) -> CircuitBreaker.Admission {
        var breaker = breakers[backend] ?? makeBreaker(backend)
        let admission = breaker.admit(now: now)
        breakers[backend] = breaker
        return admission
    }

    func record(_ backend: String, available: Bool, now: Date) {
        var breaker = breakers[backend] ?? makeBreaker(backend)
        breaker.record(available: available, now: now)
        breakers[backend] = breaker
    }

    /// The backend's circuit now: `open` while calls are refused, with the failures in a row that
    /// opened it (or count toward opening it).
    func state(of backend: String, now: Date) -> CircuitState {
        let breaker = breakers[backend]
        let until = breaker?.openUntil.flatMap { now < $0 ? $0 : nil }
        return CircuitState(open: until != nil, failuresInARow: breaker?.consecutiveFailures ?? 0, openUntil: until)
    }

    /// Forgets a call that was cancelled: if it was the probe of an open circuit, another may probe.
    func abandon(_ backend: String) {
        breakers[backend]?.abandonProbe()
    }

    private func makeBreaker(_ backend: String) -> CircuitBreaker {
        let limits = limits(of: backend)
        return CircuitBreaker(threshold: limits.circuitFailures, openFor: limits.circuitOpen)
    }
}

/// A backend's circuit as the operations page shows it.
struct CircuitState: Sendable, Equatable, Encodable {
    var open: Bool
    var failuresInARow: Int
    var openUntil: Date?
}
