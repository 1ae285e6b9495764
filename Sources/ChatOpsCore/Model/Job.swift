import Foundation

/// What a durable job asks the engine to do.
public enum JobPayload: Codable, Sendable, Equatable {
    /// Handle something that arrived (message, click, scheduled firing).
    case inbound(Inbound)
    /// Run the invocation of an approval that reached its quorum.
    case runApproved(approvalID: String)
}

/// A job to be stored, with the key that makes a retried delivery a no-op.
public struct NewJob: Sendable, Equatable {
    public var id: String
    public var dedupeKey: String
    public var payload: JobPayload
    public var availableAt: Date

    public init(id: String = RandomID.make(), dedupeKey: String, payload: JobPayload, availableAt: Date) {
        self.id = id
        self.dedupeKey = dedupeKey
        self.payload = payload
        self.availableAt = availableAt
    }
}

/// A stored job, as a worker claims it.
public struct Job: Sendable, Equatable {
    public enum State: String, Sendable, Codable { case queued, running, done, failed }

    public var id: String
    public var dedupeKey: String
    public var payload: JobPayload
    public var state: State
    /// How many times a worker has claimed it (1 on the first run).
    public var attempts: Int
    public var createdAt: Date

    public init(id: String, dedupeKey: String, payload: JobPayload, state: State, attempts: Int, createdAt: Date) {
        self.id = id
        self.dedupeKey = dedupeKey
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// What happened when a job was offered to the store.
public enum EnqueueResult: Sendable, Equatable {
    case enqueued(jobID: String)
    /// A job with the same dedupe key exists; nothing new was stored.
    case duplicate(jobID: String)

    public var jobID: String {
        switch self {
        case .enqueued(let id), .duplicate(let id): return id
        }
    }

    /// True when the job already existed (a retried delivery).
    public var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}

/// Who holds a lock on a target, and since when.
public struct LockHolder: Codable, Sendable, Equatable {
    public var target: String
    /// The job (or approval) that owns the lock; re-acquiring with the same owner succeeds.
    public var ownerID: String
    public var holder: Principal
    public var command: String
    public var acquiredAt: Date

    public init(target: String, ownerID: String, holder: Principal, command: String, acquiredAt: Date) {
        self.target = target
        self.ownerID = ownerID
        self.holder = holder
        self.command = command
        self.acquiredAt = acquiredAt
    }
}

/// A message in the local chat transcript (web chat and console), kept in the store so it
/// survives restarts.
public struct TranscriptMessage: Codable, Sendable, Equatable {
    public var id: Int64
    public var channel: String
    public var thread: String?
    /// `bot` for the bot's messages, otherwise the user id.
    public var author: String
    public var reply: Reply
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, channel: String, thread: String?, author: String, reply: Reply, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.channel = channel
        self.thread = thread
        self.author = author
        self.reply = reply
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
