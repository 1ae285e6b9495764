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
    /// The vote came from another platform, channel or thread than the request's, and not from an
    /// identity linked to the request's platform.
    case elsewhere(platform: String)
    /// The request needs evidence it does not have (an evaluation of the version): what is wrong with it.
    case missingEvidence(String)

    /// The reason, written for the voter.
    public var message: String {
        switch self {
        case .alreadyDecided(let state): return "This request is already \(state.rawValue)."
        case .expired: return "This request has expired."
        case .selfApproval: return "You can't approve your own request; someone else has to."
        case .notAnApprover(let roles): return "Approving needs the role \(roles.joined(separator: " or "))."
        case .fingerprintMismatch: return "This approval was for a different command; nothing was run."
        case .elsewhere(let platform):
            return "Votes on this request count only in its own thread on \(platform) (or from an identity linked to it in chatops.yaml)."
        case .missingEvidence(let problem):
            return "This request can't be approved yet: \(problem)."
        }
    }
}

extension ApprovalRequest {
    /// Applies one vote.
    /// - Parameters:
    ///   - voter: who voted.
    ///   - roles: the voter's roles.
    ///   - decision: approve or reject.
    ///   - fingerprint: the fingerprint the voter saw (buttons carry its start); nil for a typed vote on this id.
    ///   - comment: optional words from the voter.
    ///   - now: the current time.
    /// - Returns: what the vote did; the request changes only when the vote is recorded.
    public mutating func vote(
        by voter: Principal, roles: Set<String>, decision: ApprovalDecision, fingerprint: String?,
        comment: String? = nil, identities: IdentityLinks = IdentityLinks(), now: Date
    ) -> VoteResult {
        if let fingerprint, !fingerprint.isFingerprintStart(of: self.fingerprint) { return .refused(.fingerprintMismatch) }
        if state == .pending, now >= expiresAt { return .refused(.expired) }
        let person = identities.person(of: voter)
        let isRequester = person == identities.person(of: requester)
        if let previous = votes.first(where: { identities.person(of: $0.voter) == person }), previous.decision == decision {
            return .duplicate
        }
        guard state == .pending else { return .refused(.alreadyDecided(state)) }
        // The requester may always withdraw their own request by rejecting it.
        if decision == .reject, isRequester {
            votes.append(Vote(voter: voter, decision: decision, comment: comment, at: now))
            state = .rejected
            return .rejected
        }
        // Said first, whatever else the requester lacks: approving your own request never works.
        if decision == .approve, isRequester, !selfApproval { return .refused(.selfApproval) }
        guard AccessRules.isAllowed(roles: roles, allow: approverRoles) else {
            return .refused(.notAnApprover(needed: approverRoles))
        }
        if decision == .approve, evalRequirement != nil, let problem = evidence?.problem ?? (evidence == nil ? "no evaluation was checked" : nil) {
            return .refused(.missingEvidence(problem))
        }
        votes.removeAll { identities.person(of: $0.voter) == person }
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

    /// Whether a vote from `place` by `voter` may count at all: it must come from the request's own
    /// platform, channel and thread (the channel, where the platform has no threads), or from an
    /// identity linked to the request's platform.
    /// - Returns: the refusal, or nil when the vote may be counted.
    public func refusal(ofVoteFrom place: Conversation, by voter: Principal, identities: IdentityLinks, threaded: Bool = true) -> VoteRefusal? {
        let own = conversation
        if place.platform == own.platform, place.channel == own.channel, !threaded || place.thread == own.thread { return nil }
        if voter.platform != own.platform, identities.isLinked(voter, to: own.platform) { return nil }
        return .elsewhere(platform: own.platform)
    }

    /// Ends a pending request whose time is up.
    /// - Returns: true when the request changed to expired.
    public mutating func expireIfDue(now: Date) -> Bool {
        guard state == .pending, now >= expiresAt else { return false }
        state = .expired
        return true
    }
}
