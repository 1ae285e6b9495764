import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Crypto
import Foundation
import LLM
import Logging
import OpsBackends

extension Engine {
    /// Authorises, locks, holds for approval or runs a parsed command.
    func run(_ invocation: Invocation, job: JobContext) async throws {
        guard let spec = registry.command(named: invocation.command) else { return }
        let actorRoles = roles.roles(of: job.sender)
        let decision = Decision.make(spec: spec, invocation: invocation, roles: actorRoles)
        var details = ["command": invocation.displayText, "fingerprint": invocation.fingerprint, "decision": decision.label]
        if case .denied(let reason) = decision { details["reason"] = reason }
        try await audit("decision", actor: job.sender.qualifiedID, subject: job.id, details: details)
        if case .denied(let reason) = decision {
            metrics.command(spec.name, outcome: "denied")
            try await post(.error("Sorry \(job.sender.name), you can't run this. \(reason)"), to: job.replyConversation, key: job.key("denied"))
            return
        }
        let lockTarget = try spec.lock.map { try TemplateRenderer.render($0, values: invocation.templateValues) }
        if let lockTarget {
            let holder = try await store.acquireLock(
                LockHolder(
                    target: lockTarget, ownerID: job.id, holder: job.sender, command: invocation.displayText, acquiredAt: now()))
            if holder.ownerID != job.id {
                metrics.command(spec.name, outcome: "locked")
                try await audit(
                    "lock.busy", actor: job.sender.qualifiedID, subject: lockTarget,
                    details: ["holder": holder.holder.qualifiedID, "held_by_job": holder.ownerID, "job": job.id])
                let since = RelativeTime.describe(holder.acquiredAt, now: now())
                // Said where the command was seen: a command the channel saw should not end in silence.
                try await post(
                    Reply(
                        tone: .error,
                        text:
                            "`\(lockTarget)` is locked by \(holder.holder.name) since \(since) for `\(holder.command)`. Try again when it finishes, or ask them (or an admin) to `unlock \(lockTarget)`."
                    ),
                    to: job.replyConversation, key: job.key("locked"))
                return
            }
            try await audit("lock.acquired", actor: job.sender.qualifiedID, subject: lockTarget, details: ["job": job.id])
        }
        if case .needsApproval(let policy) = decision {
            try await requestApproval(invocation, policy: policy, job: job, lockTarget: lockTarget)
            return
        }
        try await execute(
            invocation, spec: spec, executionID: job.id, conversation: job.replyConversation, requester: job.sender,
            lock: lockTarget.map { ($0, job.id) }, scheduleEntry: job.inbound.scheduleEntry, skippedFirings: job.inbound.skippedFirings)
    }

    /// Runs the invocation of an approval that reached its quorum, exactly once.
    ///
    /// The approved command is read again against the current command files and the requester's
    /// current roles: a command file changed or a role withdrawn since the request refuses the run.
    func runApproved(approvalID: String, jobID: String) async throws {
        guard let request = try await store.approval(id: approvalID), request.state == .approved else { return }
        let current = try? parser.parse(request.invocation.canonicalText)
        guard case .command(let invocation) = current, invocation.fingerprint == request.invocation.fingerprint,
            let spec = registry.command(named: invocation.command)
        else {
            try await audit("approval.mismatch", subject: approvalID, details: ["fingerprint": request.fingerprint])
            try await releaseLock(of: request)
            try await post(
                .error("The approved command no longer matches the command files; nothing was run."), to: request.conversation,
                key: "\(jobID):mismatch")
            return
        }
        if case .denied(let reason) = Decision.make(
            spec: spec, invocation: invocation, roles: roles.roles(of: await withPlatformGroups(request.requester)))
        {
            try await audit("approval.denied", actor: request.requester.qualifiedID, subject: approvalID, details: ["reason": reason])
            try await releaseLock(of: request)
            try await post(
                .error("\(request.requester.name) may no longer run this; nothing was run. \(reason)"), to: request.conversation,
                key: "\(jobID):denied")
            return
        }
        if let target = request.lockTarget {
            // The approval's lock, taken again: a request whose lock was released meanwhile (its job failed
            // for good) does not run beside a command that took the target since.
            let holder = try await store.acquireLock(
                LockHolder(
                    target: target, ownerID: request.jobID, holder: request.requester, command: request.invocation.displayText, acquiredAt: now()))
            guard holder.ownerID == request.jobID else {
                try await audit(
                    "lock.busy", actor: request.requester.qualifiedID, subject: target,
                    details: ["approval": approvalID, "held_by_job": holder.ownerID])
                try await post(
                    .error("`\(target)` is now locked by \(holder.holder.name) for `\(holder.command)`; the approved command was not run."),
                    to: request.conversation, key: "\(jobID):locked")
                return
            }
        }
        let executionID = ApprovalRequest.executionID(of: approvalID)
        if try await store.recordedOutcome(executionID: executionID) == nil, let until = await circuits.openUntil(spec.action.backend, now: now()) {
            // An approved command waits for its backend rather than spending the approval on a refusal.
            try await post(
                Reply(
                    tone: .pending,
                    text:
                        "The backend `\(spec.action.backend)` is unavailable; the approved `\(request.invocation.displayText)` will run when it answers again (next try after \(RelativeTime.describe(until, now: now())))."
                ),
                to: request.conversation, key: "\(executionID):waiting")
            throw BackendUnavailable(backend: spec.action.backend, until: until)
        }
        try await execute(
            request.invocation, spec: spec, executionID: executionID, conversation: request.conversation,
            requester: request.requester, lock: request.lockTarget.map { ($0, request.jobID) }, scheduleEntry: nil,
            progress: "Approved by \(Self.names(request.approvals)). Running `\(request.invocation.displayText)` …")
    }

    /// Runs the backend action (or finds its recorded outcome), reports progress, summarises and
    /// replies, then releases the lock.
    func execute(
        _ invocation: Invocation, spec: CommandSpec, executionID: String, conversation: Conversation, requester: Principal,
        lock: (target: String, owner: String)?, scheduleEntry: String?, skippedFirings: Int? = nil, progress: String? = nil
    ) async throws {
        let action = try Action(spec: spec.action, invocation: invocation)
        let progressRef: MessageRef? =
            scheduleEntry == nil
            ? try await post(
                Reply(tone: .pending, text: progress ?? "Running `\(invocation.displayText)` …"), to: conversation, key: "\(executionID):progress")
            : nil
        let recorded = try await outcome(
            of: action, spec: spec, invocation: invocation, executionID: executionID, requester: requester, progressRef: progressRef)
        let outcome = recorded.outcome
        // Where the command had no thread (a slash command), the progress message started one.
        let thread = progressRef.map { conversation.inThread($0.replyThread) } ?? conversation
        var reply: Reply
        if progressRef != nil, summarizer.streams, platforms[conversation.platform]?.supportsEditing == true {
            reply = try await streamSummary(of: outcome, invocation: invocation, spec: spec, into: thread, executionID: executionID)
        } else {
            reply = await summarizer.summarize(outcome, of: invocation, spec: spec)
        }
        try await auditSummary(reply, executionID: executionID)
        if let progressRef {
            let elapsed = Duration.milliseconds(recorded.durationMilliseconds)
            await update(
                progressRef,
                with: Reply(
                    tone: reply.tone,
                    text: "`\(invocation.displayText)` \(outcome.status == .succeeded ? "finished" : "failed") in \(RelativeTime.duration(elapsed)).")
            )
        }
        if let scheduleEntry, quietEntries.contains(scheduleEntry), try await isUnchanged(reply, changeKey: outcome.changeKey, entry: scheduleEntry) {
            try await audit("schedule.unchanged", subject: scheduleEntry, details: ["execution": executionID])
        } else {
            // Said after the comparison with the last post, so the note alone never counts as a change.
            if let skippedFirings {
                let note =
                    "\(skippedFirings == CronSchedule.skipCountLimit ? "at least " : "")\(skippedFirings) earlier firing\(skippedFirings == 1 ? " was" : "s were") skipped while the bot was down"
                reply.footer = [reply.footer, note].compactMap { $0 }.joined(separator: " · ")
            }
            try await post(reply, to: thread, key: "\(executionID):result")
            if let file = outcome.attachment { try await attach(file, to: thread, key: "\(executionID):file") }
        }
        if let lock, let released = try await store.releaseLock(target: lock.target, ownerID: lock.owner) {
            try await audit("lock.released", subject: released.target, details: ["job": lock.owner])
        }
    }

    /// The execution's outcome. When an earlier attempt of the job already ran the action, its
    /// recorded outcome is returned and the backend is not called again; otherwise the action runs
    /// and its outcome is recorded before anything is posted or audited.
    private func outcome(
        of action: Action, spec: CommandSpec, invocation: Invocation, executionID: String, requester: Principal, progressRef: MessageRef?
    ) async throws -> RecordedOutcome {
        if let recorded = try await store.recordedOutcome(executionID: executionID) {
            logger.info("the action already ran; posting its recorded outcome", metadata: ["chatops.execution": "\(executionID)"])
            return recorded
        }
        try await audit(
            "action.start", actor: requester.qualifiedID, subject: executionID,
            details: [
                "backend": action.backend, "operation": action.operation, "fingerprint": invocation.fingerprint,
            ])
        let clock = ContinuousClock()
        let started = clock.now
        // Throws when the job was cancelled (its worker lost the lease) before the backend answered, or when the
        // store that keeps the backend's state failed: nothing is recorded, and the job is tried again.
        let outcome = redactor.redact(try await perform(action, executionID: executionID, requester: requester, progressRef: progressRef))
        let elapsed = clock.now - started
        // The backend answered: its outcome is kept even if the lease was lost meanwhile, so the job's
        // next owner posts it rather than running the action again. Then a worker without its lease stops.
        let recorded = RecordedOutcome(executionID: executionID, outcome: outcome, durationMilliseconds: Int(elapsed.milliseconds), finishedAt: now())
        try await withoutCancellation { [store] in try await store.recordOutcome(recorded) }
        try Task.checkCancellation()
        metrics.actionLatency(backend: action.backend, operation: action.operation, status: outcome.status.rawValue, duration: elapsed)
        metrics.command(spec.name, outcome: outcome.status.rawValue)
        try await audit(
            "action.end", actor: requester.qualifiedID, subject: executionID,
            details: [
                "status": outcome.status.rawValue, "latency_ms": "\(elapsed.milliseconds)", "headline": outcome.headline,
            ])
        return recorded
    }

    /// Posts the template summary at once, edits it as the model writes (at most about once a
    /// second), then replaces it with the final reply: the guarded summary or the template.
    private func streamSummary(
        of outcome: Outcome, invocation: Invocation, spec: CommandSpec, into thread: Conversation, executionID: String
    ) async throws -> Reply {
        var draft = TemplateSummarizer().render(outcome, of: invocation)
        draft.footer = [draft.footer, "writing a summary …"].compactMap { $0 }.joined(separator: " · ")
        guard let ref = try await post(draft, to: thread, key: "\(executionID):result") else {
            return await summarizer.summarize(outcome, of: invocation, spec: spec)
        }
        let reply = await summarizer.summarize(outcome, of: invocation, spec: spec) { [self] partial in
            await update(ref, with: partial)
        }
        await update(ref, with: reply)
        return reply
    }

    private func auditSummary(_ reply: Reply, executionID: String) async throws {
        guard let provenance = reply.provenance else { return }
        try await audit(
            "summary", subject: executionID,
            details: [
                "model": provenance.model, "prompt_version": provenance.promptVersion, "tokens_in": "\(provenance.promptTokens)",
                "tokens_out": "\(provenance.completionTokens)", "latency_ms": "\(provenance.latencyMilliseconds)",
            ])
    }

    /// Runs the action within its backend's time limit, unless the backend's circuit is open.
    /// - Throws: `CancellationError` when the job was cancelled before the backend answered.
    private func perform(_ action: Action, executionID: String, requester: Principal, progressRef: MessageRef?) async throws -> Outcome {
        guard let backend = backends[action.backend] else {
            return Outcome(status: .failed, headline: "The backend `\(action.backend)` is not configured.")
        }
        if case .refused(let until, let failures) = await circuits.admit(action.backend, now: now()) {
            metrics.command(action.backend, outcome: "circuit_open")
            return Outcome(
                status: .failed,
                headline:
                    "The backend `\(action.backend)` is unavailable: it failed \(failures) times in a row. Nothing was run; try again after \(RelativeTime.describe(until, now: now()))."
            )
        }
        let context = ExecutionContext(executionID: executionID, requester: requester) { [self] message in
            if let progressRef { await update(progressRef, with: Reply(tone: .pending, text: message)) }
        }
        let limit = await circuits.limits(of: action.backend).actionTimeout
        do {
            let (outcome, available) = try await attempt(action, on: backend, context: context, limit: limit)
            await circuits.record(action.backend, available: available, now: now())
            if available {
                health.succeeded(.backend, action.backend)
            } else {
                health.failed(.backend, action.backend, error: redactor.redact(outcome.headline))
            }
            return outcome
        } catch {
            // A cancelled call says nothing about the backend; a probe it was is let go.
            await circuits.abandon(action.backend)
            throw error
        }
    }

    /// One call of the backend within `limit`, and whether the backend answered at all.
    /// - Throws: `CancellationError` when the job was cancelled before the backend answered;
    ///   `BackendStateUnavailable` when the store that keeps the backend's state failed.
    private func attempt(
        _ action: Action, on backend: any Backend, context: ExecutionContext, limit: Duration
    ) async throws -> (Outcome, available: Bool) {
        do {
            return (try await withDeadline(limit) { try await backend.execute(action, context: context) }, true)
        } catch  where Task.isCancelled {
            throw CancellationError()
        } catch let error as BackendStateUnavailable {
            // The bot's own store failed, not the backend: the job is tried again.
            throw error
        } catch let error as BackendError {
            return (Outcome(status: .failed, headline: error.message), !error.unavailable)
        } catch let error as DeadlineExceeded {
            return (Outcome(status: .failed, headline: "`\(action.backend)` did not finish `\(action.operation)`: \(error). It was stopped."), false)
        } catch {
            logger.error("backend failed", metadata: ["chatops.execution": "\(context.executionID)", "error": "\(error)"])
            return (Outcome(status: .failed, headline: "The backend failed unexpectedly. Reference: `\(context.executionID)`."), false)
        }
    }

    /// Compares a scheduled reply with the last one posted for the entry, and remembers it.
    /// Whether the result is the same news as the entry's last post: the same change key (when the
    /// outcome has one) or the same reply.
    private func isUnchanged(_ reply: Reply, changeKey: String?, entry: String) async throws -> Bool {
        let compared = try changeKey.map { Data("key:\($0)".utf8) } ?? JSONEncoder.sorted.encode(reply)
        let digest = Hex.encode(SHA256.hash(data: compared))
        if try await store.lastPostDigest(entry: entry) == digest { return true }
        try await store.setLastPostDigest(entry: entry, digest: digest)
        return false
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
