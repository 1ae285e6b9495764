import Foundation

/// What a vote did.
public enum VoteResult: Sendable, Equatable {
    /// Counted; more approvals are still needed.
    case recorded(remaining: Int)
    /// This vote completed the quorum: the command runs now, exactly once.
    case approved
    /// This vote rejected the request.
    case rejected
    /// This person already voted this way; nothing changed.
    case duplicate
    /// The vote was not accepted.
    case refused(VoteRefusal)
}

/// Why a vote was not accepted.
public enum VoteRefusal: Sendable, Equatable {
    case alreadyDecided(ApprovalRequest.State)
    case expired
    case selfApproval
    case notAnApprover(needed: [String])
    case fingerprintMismatch

    /// The reason, written for the voter.
    public var message: String {
        switch self {
        case .alreadyDecided(let state): return "This request is already \(state.rawValue)."
        case .expired: return "This request has expired."
        case .selfApproval: return "You can't approve your own request; someone else has to."
        case .notAnApprover(let roles): return "Approving needs the role \(roles.joined(separator: " or "))."
        case .fingerprintMismatch: return "This approval was for a different command; nothing was run."
        }
    }
}

extension ApprovalRequest {
    /// Applies one vote.
    /// - Parameters:
    ///   - voter: who voted.
    ///   - roles: the voter's roles.
    ///   - decision: approve or reject.
    ///   - fingerprint: the fingerprint the voter saw (buttons carry it); nil for a typed vote on this id.
    ///   - comment: optional words from the voter.
    ///   - now: the current time.
    /// - Returns: what the vote did; the request changes only when the vote is recorded.
    public mutating func vote(
        by voter: Principal, roles: Set<String>, decision: ApprovalDecision, fingerprint: String?,
        comment: String? = nil, now: Date
    ) -> VoteResult {
        if let fingerprint, fingerprint != self.fingerprint { return .refused(.fingerprintMismatch) }
        if state == .pending, now >= expiresAt { return .refused(.expired) }
        let isRequester = voter.qualifiedID == requester.qualifiedID
        if let previous = votes.first(where: { $0.voter.qualifiedID == voter.qualifiedID }), previous.decision == decision {
            return .duplicate
        }
        guard state == .pending else { return .refused(.alreadyDecided(state)) }
        // The requester may always withdraw their own request by rejecting it.
        if decision == .reject, isRequester {
            votes.append(Vote(voter: voter, decision: decision, comment: comment, at: now))
            state = .rejected
            return .rejected
        }
        guard AccessRules.isAllowed(roles: roles, allow: approverRoles) else {
            return .refused(.notAnApprover(needed: approverRoles))
        }
        if decision == .approve, isRequester, !selfApproval { return .refused(.selfApproval) }
        votes.removeAll { $0.voter.qualifiedID == voter.qualifiedID }
        votes.append(Vote(voter: voter, decision: decision, comment: comment, at: now))
        if decision == .reject {
            state = .rejected
            return .rejected
        }
        let remaining = requiredCount - approvals.count
        if remaining <= 0 {
            state = .approved
            return .approved
        }
        return .recorded(remaining: remaining)
    }

    /// Ends a pending request whose time is up.
    /// - Returns: true when the request changed to expired.
    public mutating func expireIfDue(now: Date) -> Bool {
        guard state == .pending, now >= expiresAt else { return false }
        state = .expired
        return true
    }
}
