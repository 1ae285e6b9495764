import ChatOpsCore
import Foundation
import LLM

extension OperationsReport {
    /// Every pending request, with who may still approve it and what evidence it carries.
    func pendingApprovals(now: Date) async throws -> [OperationsSnapshot.PendingApproval] {
        try await engine.store.pendingApprovals().map { request in
            .init(
                id: request.id, command: engine.redactor.redact(request.invocation.displayText), requester: request.requester.name,
                channel: request.conversation.channel,
                approvers: "\(request.requiredCount) × \(request.approverRoles.joined(separator: " or "))", mayApprove: mayApprove(request),
                approvedBy: request.approvals.map(\.voter.name), createdAt: request.createdAt, expiresAt: request.expiresAt,
                evidence: request.evidence.map { engine.redactor.redact(ApprovalMessage.describe($0, now: now)) })
        }
    }

    /// The people of the approver roles who have not voted and are not the requester (unless the
    /// policy lets requesters approve), across linked identities; and the groups that hold the roles.
    func mayApprove(_ request: ApprovalRequest) -> [String] {
        var names: [String] = []
        for role in request.approverRoles {
            guard let members = engine.roles.roles[role] else { continue }
            for user in members.users {
                let parts = user.split(separator: ":", maxSplits: 1).map(String.init)
                let person =
                    parts.count == 2
                    ? Principal(platform: parts[0], userID: parts[1]) : Principal(platform: request.requester.platform, userID: user)
                let isRequester = engine.identities.isSamePerson(person, request.requester)
                let voted = request.votes.contains { engine.identities.isSamePerson($0.voter, person) }
                if request.selfApproval || !isRequester, !voted, !names.contains(user) { names.append(user) }
            }
            names += members.groups.map { "anyone in \($0)" }.filter { !names.contains($0) }
        }
        return names
    }

    /// A command's state where the audit log alone cannot tell it: an approval's state now, or the
    /// outcome an execution recorded before a crash stopped it from auditing the end.
    func settled(_ run: OperationsSnapshot.CommandRun) async throws -> OperationsSnapshot.CommandRun {
        var run = run
        guard ["accepted", "running", "awaiting approval"].contains(run.state) else { return run }
        if let recorded = try await engine.store.recordedOutcome(executionID: run.execution) {
            run.state = recorded.outcome.status.rawValue
            run.headline = recorded.outcome.headline
            run.durationMs = recorded.durationMilliseconds
        } else if let id = run.approval, let request = try await engine.store.approval(id: id), request.state != .pending {
            run.state = request.state.rawValue
        }
        return run
    }
}
