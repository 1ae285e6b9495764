import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Foundation
import Logging

extension Engine {
    /// Stores an approval request for the job (once) and posts it with Approve / Reject buttons.
    func requestApproval(_ invocation: Invocation, policy: ApprovalPolicy, job: JobContext, lockTarget: String?) async throws {
        var new = ApprovalRequest(
            id: ApprovalRequest.makeID(), jobID: job.id, invocation: invocation, requester: job.sender,
            conversation: job.replyConversation, policy: policy, createdAt: now(), lockTarget: lockTarget)
        if let requirement = policy.requires?.eval { new.attach(try await evidence(for: requirement, of: invocation)) }
        let request = try await store.createApproval(new)
        try await show(request, as: ApprovalMessage.request(request, now: now()), key: "approval-\(request.id):request") { message in
            _ = try await self.store.updateApproval(id: request.id) { $0.shown(in: message) }
        }
        metrics.command(invocation.command, outcome: "pending_approval")
        try await audit(
            "approval.requested", actor: job.sender.qualifiedID, subject: request.id,
            details: [
                "command": invocation.displayText, "fingerprint": request.fingerprint, "job": job.id,
                "approvers": request.approverRoles.joined(separator: ","), "count": "\(request.requiredCount)",
                "expires_at": ISO8601DateFormatter().string(from: request.expiresAt),
            ])
    }

    /// Applies a vote from a button or typed `approve` / `reject`.
    func vote(
        _ decision: ApprovalDecision, approvalID: String?, fingerprint: String?, comment: String?, job: JobContext
    ) async throws {
        let conversation = job.replyConversation
        let found: ApprovalRequest?
        if let approvalID {
            found = try await store.approval(id: approvalID)
        } else {
            found = try await store.pendingApproval(in: job.conversation)
        }
        guard let request = found else {
            let message =
                approvalID.map { "There is no approval request `\($0)`." }
                ?? "There is no pending approval in this thread; say `\(decision.rawValue) <id>`."
            try await post(.error(message), to: conversation, key: job.key("vote"))
            return
        }
        let threaded = platforms[request.conversation.platform]?.hasThreads ?? true
        // A click on the request's own message counts where the request is, even where the platform
        // could not start a thread from that message.
        let clickedOnRequest =
            job.inbound.isButton && job.inbound.replyThread != nil && job.inbound.replyThread == request.message?.id
            && job.conversation.platform == request.conversation.platform && job.conversation.channel == request.conversation.channel
        let place = clickedOnRequest ? request.conversation : job.conversation
        if let refusal = request.refusal(ofVoteFrom: place, by: job.sender, identities: identities, threaded: threaded) {
            try await audit(
                "approval.vote", actor: job.sender.qualifiedID, subject: request.id,
                details: [
                    "decision": decision.rawValue, "result": "refused(\(refusal))", "platform": job.conversation.platform,
                ])
            try await post(.error(refusal.message), to: conversation, key: job.key("vote"))
            return
        }
        if decision == .approve, !(try await refreshEvidence(of: request, job: job)) { return }
        let voterRoles = roles.roles(of: job.sender)
        let identities = identities
        let moment = now()
        // The vote that completes the quorum and the job that runs the command are one write.
        guard
            let (updated, result) = try await store.updateApproval(
                id: request.id,
                { request in
                    request.vote(
                        by: job.sender, roles: voterRoles, decision: decision, fingerprint: fingerprint, comment: comment, identities: identities,
                        now: moment)
                },
                followUp: { approved, result in
                    result == .approved
                        ? NewJob(dedupeKey: "approval:\(approved.id):run", payload: .runApproved(approvalID: approved.id), availableAt: moment) : nil
                })
        else { return }
        try await audit(
            "approval.vote", actor: job.sender.qualifiedID, subject: updated.id,
            details: [
                "decision": decision.rawValue, "result": "\(result)", "fingerprint": fingerprint ?? updated.fingerprint,
            ])
        let thread = updated.conversation
        switch result {
        case .approved:
            // The run's own progress message says who approved it: one message, not two.
            metrics.approvalWait(seconds: moment.timeIntervalSince(updated.createdAt))
            await refreshMessage(of: updated)
        case .recorded(let remaining):
            await refreshMessage(of: updated)
            try await post(
                Reply(tone: .info, text: "\(job.sender.name) approved. \(remaining) more approval\(remaining == 1 ? "" : "s") needed."), to: thread,
                key: job.key("vote"))
        case .rejected:
            metrics.command(updated.invocation.command, outcome: "rejected")
            await refreshMessage(of: updated)
            try await releaseLock(of: updated)
            try await post(
                Reply(
                    tone: .warning,
                    text: "Rejected by \(job.sender.name)\(comment.map { ": \($0)" } ?? ""). `\(updated.invocation.displayText)` will not run."),
                to: thread, key: job.key("vote"))
        case .duplicate:
            try await post(
                Reply(tone: .info, text: "Your vote on `\(updated.id)` was already counted.", ephemeral: true), to: conversation, key: job.key("vote")
            )
        case .refused(let refusal):
            try await post(.error(refusal.message), to: conversation, key: job.key("vote"))
        }
    }

    /// Ends every pending request whose time is up, releasing its lock and saying so in its thread.
    public func expireDueApprovals() async throws {
        let moment = now()
        for candidate in try await store.expiredApprovals(now: moment) {
            guard let (request, changed) = try await store.updateApproval(id: candidate.id, { $0.expireIfDue(now: moment) }), changed else {
                continue
            }
            metrics.command(request.invocation.command, outcome: "expired")
            try await audit("approval.expired", subject: request.id, details: ["command": request.invocation.displayText])
            await refreshMessage(of: request)
            try await releaseLock(of: request)
            try await post(
                Reply(
                    tone: .warning, text: "The request to run `\(request.invocation.displayText)` expired without enough approvals. Nothing was run."),
                to: request.conversation, key: "approval-\(request.id):expired")
        }
    }

    /// Releases a lock by target, for its holder or an admin.
    func unlock(target: String, job: JobContext) async throws {
        let conversation = job.replyConversation
        guard let holder = try await store.lock(target: target) else {
            try await post(Reply(tone: .info, text: "`\(target)` is not locked.", ephemeral: true), to: conversation, key: job.key("unlock"))
            return
        }
        let isAdmin = roles.roles(of: job.sender).contains(adminRole)
        guard holder.holder.qualifiedID == job.sender.qualifiedID || isAdmin else {
            try await audit("lock.unlock_denied", actor: job.sender.qualifiedID, subject: target)
            try await post(.error("Only \(holder.holder.name) or an admin can unlock `\(target)`."), to: conversation, key: job.key("unlock"))
            return
        }
        _ = try await store.releaseLock(target: target, ownerID: holder.ownerID)
        try await audit(
            "lock.released", actor: job.sender.qualifiedID, subject: target, details: ["job": holder.ownerID, "by": isAdmin ? "admin" : "holder"])
        try await post(
            Reply(tone: .success, text: "Unlocked `\(target)` (held by \(holder.holder.name) for `\(holder.command)`)."), to: conversation,
            key: job.key("unlock"))
    }

    func releaseLock(of request: ApprovalRequest) async throws {
        guard let target = request.lockTarget, try await store.releaseLock(target: target, ownerID: request.jobID) != nil else { return }
        try await audit("lock.released", subject: target, details: ["approval": request.id])
    }

    private func refreshMessage(of request: ApprovalRequest) async {
        await refresh(request, as: ApprovalMessage.request(request, now: now()))
    }

    static func names(_ votes: [ApprovalRequest.Vote]) -> String {
        votes.map(\.voter.name).joined(separator: ", ")
    }
}

/// How an approval request looks in chat, before and after the votes.
enum ApprovalMessage {
    /// `promote, 2h ago by alice (run 01a2…): 81% passed`, or what is missing.
    static func describe(_ evidence: EvalEvidence, now: Date) -> String {
        var seen = ""
        if let runID = evidence.runID, let finishedAt = evidence.finishedAt {
            seen =
                "\(evidence.verdict ?? "no verdict"), \(RelativeTime.describe(finishedAt, now: now)) by \(evidence.requestedBy ?? "someone") (run \(runID))"
            if let passRate = evidence.passRate { seen += ": \(Int((passRate * 100).rounded()))% passed" }
            if let changes = evidence.changes { seen += "; \(changes)" }
        }
        guard let problem = evidence.problem else { return seen }
        return seen.isEmpty ? "missing: \(problem)" : "\(seen). Not enough: \(problem)"
    }

    static func request(_ request: ApprovalRequest, now: Date) -> Reply {
        var fields = request.invocation.arguments.keys.sorted().map { Fact($0, request.invocation.arguments[$0]!.displayValue) }
        fields.append(Fact("requested by", request.requester.name))
        fields.append(Fact("approvers", "\(request.requiredCount) × \(request.approverRoles.joined(separator: " or "))"))
        fields.append(Fact("fingerprint", String(request.fingerprint.prefix(12))))
        if request.evalRequirement != nil, let evidence = request.evidence { fields.append(Fact("evaluation", describe(evidence, now: now))) }
        let approvals = request.approvals
        if !approvals.isEmpty { fields.append(Fact("approved by", Engine.names(approvals))) }
        switch request.state {
        case .pending:
            fields.append(Fact("expires", RelativeTime.describe(request.expiresAt, now: now)))
            return Reply(
                tone: .pending, title: "Approval needed: `\(request.invocation.displayText)`",
                text: "\(request.requester.name) wants to run this. Request `\(request.id)`.", fields: fields,
                buttons: [
                    ButtonAction(kind: .approve, label: "Approve", requestID: request.id, fingerprint: request.fingerprint),
                    ButtonAction(kind: .reject, label: "Reject", requestID: request.id, fingerprint: request.fingerprint),
                ])
        case .approved:
            return Reply(
                tone: .success, title: "Approved: `\(request.invocation.displayText)`", text: "Request `\(request.id)` was approved.", fields: fields)
        case .rejected:
            let by = request.votes.last { $0.decision == .reject }?.voter.name ?? "someone"
            return Reply(
                tone: .warning, title: "Rejected: `\(request.invocation.displayText)`", text: "Request `\(request.id)` was rejected by \(by).",
                fields: fields)
        case .expired:
            return Reply(
                tone: .warning, title: "Expired: `\(request.invocation.displayText)`", text: "Request `\(request.id)` expired.", fields: fields)
        }
    }
}
