import ChatOpsCore
import CoreMetrics
import Foundation
import Logging
import Metrics

/// The bot's metrics, through swift-metrics (exported in Prometheus format by `chatops serve`).
public struct BotMetrics: Sendable {
    public init() {}

    /// An inbound request or event was accepted (or refused: `outcome=rejected`).
    func inbound(platform: String, outcome: String) {
        Counter(label: "chatops_inbound_total", dimensions: [("platform", platform), ("outcome", outcome)]).increment()
    }

    /// A command reached an end state: `succeeded`, `failed`, `denied`, `invalid`, `locked`,
    /// `pending_approval`, `rejected`, `expired`.
    func command(_ name: String, outcome: String) {
        Counter(label: "chatops_commands_total", dimensions: [("command", name), ("outcome", outcome)]).increment()
    }

    /// How long an approved request waited for its quorum.
    func approvalWait(seconds: Double) {
        Recorder(label: "chatops_approval_wait_seconds", aggregate: true).record(seconds)
    }

    /// How long a backend action took.
    func actionLatency(backend: String, operation: String, status: String, duration: Duration) {
        Metrics.Timer(label: "chatops_action_duration_seconds", dimensions: [("backend", backend), ("operation", operation), ("status", status)])
            .recordNanoseconds(duration.nanoseconds)
    }

    /// Jobs queued or running.
    func queueDepth(_ depth: Int) {
        Gauge(label: "chatops_job_queue_depth").record(depth)
    }

    /// A job ran out of attempts.
    func jobFailed() {
        Counter(label: "chatops_jobs_failed_total").increment()
    }
}
