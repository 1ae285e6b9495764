import Foundation

/// How the requester answered a proposed command.
public enum ProposalAnswer: String, Codable, Sendable, Equatable {
    case run, cancel
}

extension Proposal {
    /// The effect of an answer.
    public enum Transition: Sendable, Equatable {
        /// Confirmed now, or already confirmed by the same job (a retried job): run it.
        case run
        case cancelled
        /// Nothing changed; the message says why, for the person who clicked.
        case refused(String)
    }

    /// Applies the requester's answer.
    /// - Parameters:
    ///   - answer: run or cancel.
    ///   - by: who clicked or typed.
    ///   - fingerprint: the fingerprint the button carried (its start), nil when typed.
    ///   - jobID: the job handling the answer.
    ///   - now: the current time.
    public mutating func answer(_ answer: ProposalAnswer, by person: Principal, fingerprint: String?, jobID: String, now: Date) -> Transition {
        if state == .confirmed, confirmedByJob == jobID, answer == .run { return .run }
        guard person.qualifiedID == requester.qualifiedID else {
            return .refused("Only \(requester.name) can run or cancel `\(invocation.displayText)`; ask them, or type the command yourself.")
        }
        if let fingerprint, !fingerprint.isFingerprintStart(of: self.fingerprint) {
            return .refused("That button belongs to a different command than the one proposed; nothing was run.")
        }
        switch state {
        case .confirmed: return .refused("`\(invocation.displayText)` was already started.")
        case .cancelled: return .refused("`\(invocation.displayText)` was cancelled; ask again if you still want it.")
        case .expired: return .refused("This proposal expired; ask again.")
        case .pending: break
        }
        if now >= expiresAt {
            state = .expired
            return .refused("This proposal expired; ask again.")
        }
        switch answer {
        case .run:
            state = .confirmed
            confirmedByJob = jobID
            return .run
        case .cancel:
            state = .cancelled
            return .cancelled
        }
    }
}
