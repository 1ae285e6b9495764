import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Foundation
import LLM
import Logging
import OpsBackends

/// The platform-neutral heart of the bot: it takes one durable job and carries it through parsing,
/// permissions, locks, approvals, the backend and the reply.
///
/// Every step is safe to repeat: a job retried after a crash finds its approval, lock, backend
/// change and replies already in place (each keyed by the job) and does not do them twice.
public struct Engine: Sendable {
    public let store: any Store
    public let registry: CommandRegistry
    public let parser: CommandParser
    public let roles: RoleDirectory
    /// One person's ids across platforms, for votes and self-approval.
    public let identities: IdentityLinks
    public let adminRole: String
    public let platforms: [String: any ChatPlatform]
    public let backends: [String: any Backend]
    public let summarizer: any Summarizer
    /// Reads plain-words requests addressed to the bot; nil when no `llm.intent_model` is set.
    public let interpreter: (any IntentInterpreter)?
    /// How long a proposed command waits for Run or Cancel.
    public let proposalLifetime: TimeInterval
    /// Removes secrets from what backends report before it is shown or summarised.
    public let redactor: SecretRedactor
    /// Schedule entries that post only when their result changes, by name.
    public let quietEntries: Set<String>
    let metrics: BotMetrics
    /// Each backend's time limit and circuit.
    let circuits: BackendCircuits
    /// The last call that worked and the last that failed, of each backend, platform and model.
    public let health: HealthBoard
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        store: any Store, registry: CommandRegistry, parser: CommandParser, roles: RoleDirectory, identities: IdentityLinks = IdentityLinks(),
        adminRole: String,
        platforms: [any ChatPlatform], backends: [any Backend], summarizer: any Summarizer = TemplateSummarizer(),
        interpreter: (any IntentInterpreter)? = nil, proposalLifetime: TimeInterval = 900, redactor: SecretRedactor = SecretRedactor(),
        quietEntries: Set<String> = [], backendLimits: [String: BackendLimits] = [:], health: HealthBoard = HealthBoard(), logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.registry = registry
        self.parser = parser
        self.roles = roles
        self.identities = identities
        self.adminRole = adminRole
        self.platforms = Dictionary(platforms.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        self.backends = Dictionary(backends.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        self.summarizer = summarizer
        self.interpreter = interpreter
        self.proposalLifetime = proposalLifetime
        self.redactor = redactor
        self.quietEntries = quietEntries
        self.metrics = BotMetrics()
        self.circuits = BackendCircuits(limits: backendLimits)
        self.health = health
        self.logger = logger
        self.now = now
    }

    /// Handles one job from the queue.
    public func process(_ job: Job) async throws {
        switch job.payload {
        case .inbound(let inbound):
            try await handle(inbound, jobID: job.id)
        case .runApproved(let approvalID):
            try await runApproved(approvalID: approvalID, jobID: job.id)
        }
    }

    /// Tells the person a job could not be finished (it ran out of attempts) and releases the locks
    /// it held, so the target is not left locked by a job that will never run again.
    public func reportFailure(of job: Job, attempts: Int) async {
        metrics.jobFailed()
        var details = ["attempts": "\(attempts)"]
        // The operations page shows an approved command whose run gave up against its request.
        if case .runApproved(let id) = job.payload { details["approval"] = id }
        _ = try? await audit("job.failed", subject: job.id, details: details)
        let conversation: Conversation?
        var lockOwner = job.id
        switch job.payload {
        case .inbound(let inbound):
            conversation = inbound.replyConversation
        case .runApproved(let id):
            let request = try? await store.approval(id: id)
            conversation = request?.conversation
            lockOwner = request?.jobID ?? job.id
        }
        for released in (try? await store.releaseLocks(ownerID: lockOwner)) ?? [] {
            _ = try? await audit("lock.released", subject: released.target, details: ["job": lockOwner, "by": "failure"])
        }
        guard let conversation else { return }
        let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        let reply = Reply(
            tone: .error, text: "I could not finish this after \(tries). Reference: `\(job.id)`. Nothing more will be tried; check the bot's logs.")
        _ = try? await post(reply, to: conversation, key: "\(job.id):failed")
    }

    private func handle(_ arrived: Inbound, jobID: String) async throws {
        var inbound = arrived
        inbound.sender = await withPlatformGroups(inbound.sender)
        let job = JobContext(inbound: inbound, id: jobID)
        var details = [
            "platform": job.conversation.platform, "channel": job.conversation.channel,
            "text": String((inbound.text ?? "").prefix(500)), "kind": inbound.kindLabel,
        ]
        // The operations page finds each schedule's last result by it.
        if let entry = inbound.scheduleEntry { details["schedule"] = entry }
        try await audit("inbound", actor: job.sender.qualifiedID, subject: job.id, details: details)
        if case .button(let button) = inbound.kind {
            switch button.kind {
            case .approve, .reject:
                try await vote(
                    button.kind == .approve ? .approve : .reject, approvalID: button.requestID, fingerprint: button.fingerprint, comment: nil,
                    job: job)
            case .run, .cancel:
                try await answerProposal(
                    button.kind == .run ? .run : .cancel, proposalID: button.requestID, fingerprint: button.fingerprint,
                    job: job)
            }
            return
        }
        let parsed: ParsedInput
        do {
            parsed = try parser.parse(inbound.text ?? "")
        } catch {
            if error.kind == .unknownCommand, interpreter != nil, case .message(let text) = inbound.kind {
                try await propose(from: text, job: job, parseError: error)
                return
            }
            metrics.command(error.command ?? "unknown", outcome: "invalid")
            try await audit("parse.rejected", actor: job.sender.qualifiedID, subject: job.id, details: ["problem": error.message])
            try await post(.error(error.message), to: job.replyConversation, key: job.key("parse"))
            return
        }
        switch parsed {
        case .notACommand:
            return
        case .builtin(.help(let topic)):
            var reply = HelpFormatter.help(registry: registry, roles: roles.roles(of: job.sender), topic: topic)
            if topic == nil, interpreter != nil { reply.text += " " + Self.plainWordsHint }
            try await post(reply, to: job.replyConversation, key: job.key("help"))
        case .builtin(.vote(let decision, let id, let comment)):
            try await vote(decision, approvalID: id, fingerprint: nil, comment: comment, job: job)
        case .builtin(.answer(let answer, let proposalID)):
            try await answerProposal(answer, proposalID: proposalID, fingerprint: nil, job: job)
        case .builtin(.unlock(let target)):
            try await unlock(target: target, job: job)
        case .command(let invocation):
            try await run(invocation, job: job)
        }
    }

    /// Appends an audit event.
    @discardableResult
    func audit(_ kind: String, actor: String? = nil, subject: String? = nil, details: [String: String] = [:]) async throws -> AuditEvent {
        try await store.appendAudit(AuditRecord(kind: kind, actor: actor, subject: subject, details: details), at: now())
    }

    /// The person with the groups their platform says they belong to now (cached briefly by the
    /// platform), for roles granted to groups. When the platform cannot be asked, the person keeps
    /// only the groups the request itself carried.
    func withPlatformGroups(_ person: Principal) async -> Principal {
        guard let platform = platforms[person.platform] else { return person }
        var person = person
        do {
            person.groups = try await platform.groups(of: person)
        } catch {
            logger.warning("platform groups unavailable", metadata: ["chatops.platform": "\(person.platform)", "error": "\(error)"])
        }
        return person
    }

    /// Posts a reply once per key, and audits it.
    @discardableResult
    func post(_ reply: Reply, to conversation: Conversation, key: String) async throws -> MessageRef? {
        // A job whose worker lost its lease says nothing more: the job's new owner answers.
        try Task.checkCancellation()
        guard let platform = platforms[conversation.platform] else {
            logger.error("no chat platform for reply", metadata: ["chatops.platform": "\(conversation.platform)", "chatops.key": "\(key)"])
            return nil
        }
        let ref: MessageRef
        do {
            ref = try await platform.post(reply, in: conversation, idempotencyKey: key)
            health.succeeded(.platform, platform.name)
        } catch {
            recordPlatformFailure(error, platform: platform.name)
            throw error
        }
        try await audit(
            "reply", subject: key,
            details: ["platform": conversation.platform, "channel": conversation.channel, "tone": reply.tone.rawValue, "message": ref.id])
        return ref
    }

    /// Posts an outcome's file after its reply, where the platform takes files. A failed upload is
    /// logged and audited, not retried: the reply already says what the file details.
    func attach(_ file: Attachment, to conversation: Conversation, key: String) async throws {
        try Task.checkCancellation()
        guard let platform = platforms[conversation.platform] else { return }
        do {
            guard try await platform.attach(file, in: conversation, idempotencyKey: key) else { return }
            try await audit(
                "attachment", subject: key, details: ["platform": conversation.platform, "file": file.name, "bytes": "\(file.text.utf8.count)"])
        } catch {
            logger.warning("could not post a file", metadata: ["chatops.key": "\(key)", "error": "\(error)"])
            try await audit("attachment.failed", subject: key, details: ["file": file.name, "error": "\(error)"])
        }
    }

    func update(_ ref: MessageRef, with reply: Reply) async {
        guard let platform = platforms[ref.conversation.platform] else { return }
        do {
            try await platform.update(ref, with: reply)
            health.succeeded(.platform, platform.name)
        } catch {
            logger.warning("could not update message", metadata: ["chatops.message": "\(ref.id)", "error": "\(error)"])
            recordPlatformFailure(error, platform: platform.name)
        }
    }

    /// A platform call that failed, unless the job was only cancelled.
    private func recordPlatformFailure(_ error: any Error, platform: String) {
        guard !(error is CancellationError), !Task.isCancelled else { return }
        health.failed(.platform, platform, error: redactor.redact("\(error)"))
    }
}

extension Inbound {
    var kindLabel: String {
        switch kind {
        case .message: return "message"
        case .button: return "button"
        case .scheduled: return "scheduled"
        }
    }

    var scheduleEntry: String? {
        if case .scheduled(let entry, _, _) = kind { return entry }
        return nil
    }

    var skippedFirings: Int? {
        if case .scheduled(_, _, let skipped) = kind { return skipped }
        return nil
    }
}
