import Crypto
import Foundation

/// How a person voted.
public enum ApprovalDecision: String, Codable, Sendable, Equatable {
    case approve, reject
}

/// A command held until enough people approve it.
///
/// The request is bound to one invocation by its fingerprint: votes that carry another fingerprint
/// are refused, and only that invocation runs when the quorum is reached.
public struct ApprovalRequest: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case pending, approved, rejected, expired }

    public struct Vote: Codable, Sendable, Equatable {
        public var voter: Principal
        public var decision: ApprovalDecision
        public var comment: String?
        public var at: Date
    }

    public var id: String
    /// The job that asked; one request per job.
    public var jobID: String
    public var invocation: Invocation
    public var fingerprint: String
    public var requester: Principal
    public var conversation: Conversation
    public var approverRoles: [String]
    public var requiredCount: Int
    public var selfApproval: Bool
    public var createdAt: Date
    public var expiresAt: Date
    public var state: State
    public var votes: [Vote]
    /// The lock held for the request, released when it ends.
    public var lockTarget: String?
    /// The approval message, so it can be updated after a vote.
    public var message: MessageRef?
    /// The evaluation the request needs (`approval.requires.eval`), and what the newest one showed.
    public var evalRequirement: EvalRequirement?
    public var evidence: EvalEvidence?

    public init(
        id: String, jobID: String, invocation: Invocation, requester: Principal, conversation: Conversation,
        policy: ApprovalPolicy, createdAt: Date, lockTarget: String?
    ) {
        self.id = id
        self.jobID = jobID
        self.invocation = invocation
        self.fingerprint = invocation.fingerprint
        self.requester = requester
        self.conversation = conversation
        self.approverRoles = policy.approvers
        self.requiredCount = max(1, policy.count)
        self.selfApproval = policy.selfApproval
        self.createdAt = createdAt
        self.expiresAt = createdAt.addingTimeInterval(TimeInterval(policy.expirySeconds))
        self.state = .pending
        self.votes = []
        self.lockTarget = lockTarget
        self.evalRequirement = policy.requires?.eval
    }

    /// Shows `evidence` on the request. The fingerprint covers the evidence's run, so a card shown
    /// with one eval cannot be approved once a newer eval changed it.
    public mutating func attach(_ evidence: EvalEvidence) {
        self.evidence = evidence
        fingerprint = Hex.encode(SHA256.hash(data: Data("\(invocation.fingerprint):eval:\(evidence.runID ?? "none")".utf8)))
    }

    /// The id the run of an approved request is executed (and its outcome recorded and audited) under.
    public static func executionID(of approvalID: String) -> String { "approval-\(approvalID)" }

    /// Approvals counted so far.
    public var approvals: [Vote] { votes.filter { $0.decision == .approve } }

    /// Short random ids people can type: `approve k7q2m9`.
    public static func makeID() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        return String((0..<6).map { _ in alphabet.randomElement()! })
    }
}
