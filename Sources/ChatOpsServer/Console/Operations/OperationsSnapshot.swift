import ChatOpsCore
import Foundation

/// What the operations page shows: what waits, what ran, what the audit log says, when schedules
/// fire, how each backend, platform and model answers, and the queue. Encoded with snake_case keys.
struct OperationsSnapshot: Encodable, Sendable {
    var generatedAt: Date
    var approvals: [PendingApproval]
    var commands: [CommandRun]
    var audit: AuditStatus
    var schedules: [ScheduleStatus]
    var health: Health
    var queue: Queue

    /// A request waiting for votes.
    struct PendingApproval: Encodable, Sendable {
        var id: String
        var command: String
        var requester: String
        var channel: String
        /// `1 × lead` and who holds those roles.
        var approvers: String
        var mayApprove: [String]
        var approvedBy: [String]
        var createdAt: Date
        var expiresAt: Date
        /// The evaluation the request needs and what the newest one showed.
        var evidence: String?
    }

    /// One command someone (or a schedule) asked for, newest first.
    struct CommandRun: Encodable, Sendable {
        var job: String
        var command: String
        var actor: String
        var at: Date
        /// `succeeded`, `failed`, `running`, `denied`, `locked`, `awaiting approval`, `rejected`, `expired`.
        var state: String
        var headline: String?
        var durationMs: Int?
        var approval: String?

        /// What the action ran under: the job, or the approval it asked for.
        var execution: String { approval.map(ApprovalRequest.executionID) ?? job }
    }

    /// Whether the hash chain holds, and the newest events.
    struct AuditStatus: Encodable, Sendable {
        var intact: Bool
        var events: Int
        /// Where and why the chain breaks.
        var problem: String?
        var recent: [Event]

        /// One audit event, its details with secrets removed.
        struct Event: Encodable, Sendable {
            var sequence: Int64
            var at: Date
            var kind: String
            var actor: String?
            var subject: String?
            var details: [String: String]
        }
    }

    /// A `schedules:` entry: when it fired last, when it fires next, and what its last firing did.
    struct ScheduleStatus: Encodable, Sendable {
        var name: String
        var cron: String
        var timeZone: String
        var command: String
        var channel: String
        var lastFiring: Date?
        var nextFiring: Date?
        var lastResult: String?
        var lastHeadline: String?
    }

    /// What this process has seen of each configured backend, platform and model.
    struct Health: Encodable, Sendable {
        /// Since when this process has recorded calls (the board is per process).
        var since: Date
        var components: [Component]

        /// One backend, platform or model.
        struct Component: Encodable, Sendable {
            var kind: String
            var name: String
            var calls: Int
            var failures: Int
            var lastSuccess: Date?
            var lastError: Date?
            var lastErrorText: String?
            /// Backends only.
            var circuit: CircuitState?
        }
    }

    /// The durable job queue.
    struct Queue: Encodable, Sendable {
        /// Jobs waiting or running.
        var depth: Int
        /// The workers holding leases now.
        var workers: [String]
    }
}
