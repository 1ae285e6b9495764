import ChatOpsCore
import Foundation
import LLM

/// Gathers the operations page's snapshot from the store, the audit log, the configuration and what
/// this process has seen of its backends, platforms and models.
struct OperationsReport: Sendable {
    let engine: Engine
    let schedules: [ScheduleEntry]
    /// The names under `llm.models`.
    let models: [String]
    /// How many commands and audit events the page lists.
    var recentCount = 30

    func snapshot(now: Date = Date()) async throws -> OperationsSnapshot {
        let store = engine.store
        let events = try await store.auditEvents()
        let digest = AuditDigest(events)
        var commands: [OperationsSnapshot.CommandRun] = []
        for run in digest.commands.suffix(recentCount).reversed() {
            var run = try await settled(run)
            // Commands quote what people typed; results quote what systems answered.
            run.command = engine.redactor.redact(run.command)
            run.headline = run.headline.map(engine.redactor.redact)
            commands.append(run)
        }
        return OperationsSnapshot(
            generatedAt: now, approvals: try await pendingApprovals(now: now), commands: commands, audit: auditStatus(events),
            schedules: try await scheduleStatus(digest, now: now), health: await health(now: now),
            queue: .init(depth: try await store.queueDepth(), workers: try await store.leaseOwners().sorted()))
    }

    private func auditStatus(_ events: [AuditEvent]) -> OperationsSnapshot.AuditStatus {
        // Details quote what people typed and what systems answered: secrets are removed first.
        let recent = events.suffix(recentCount).reversed().map {
            OperationsSnapshot.AuditStatus.Event(
                sequence: $0.sequence, at: $0.date, kind: $0.kind, actor: $0.actor, subject: $0.subject,
                details: $0.details.mapValues(engine.redactor.redact))
        }
        switch AuditChain.verify(events) {
        case .intact(let count):
            return .init(intact: true, events: count, recent: recent)
        case .broken(let sequence, let reason):
            return .init(intact: false, events: events.count, problem: "broken at event \(sequence): \(reason)", recent: recent)
        }
    }

    private func scheduleStatus(_ digest: AuditDigest, now: Date) async throws -> [OperationsSnapshot.ScheduleStatus] {
        var rows: [OperationsSnapshot.ScheduleStatus] = []
        for entry in schedules {
            let schedule = TimeZone(identifier: entry.timeZone).flatMap { try? CronSchedule(entry.cron, timeZone: $0) }
            let last = digest.lastResult(of: entry.name)
            rows.append(
                .init(
                    name: entry.name, cron: entry.cron, timeZone: entry.timeZone, command: entry.command, channel: entry.channel,
                    // Before its first firing, the store keeps only when the entry began counting.
                    lastFiring: last == nil ? nil : try await engine.store.lastFiring(entry: entry.name), nextFiring: schedule?.next(after: now),
                    lastResult: last?.state, lastHeadline: last?.headline.map(engine.redactor.redact)))
        }
        return rows
    }

    /// Every configured backend, platform and model, with what this process has seen of it.
    private func health(now: Date) async -> OperationsSnapshot.Health {
        let configured: [(HealthBoard.Kind, String)] =
            engine.backends.keys.sorted().map { (.backend, $0) } + engine.platforms.keys.sorted().map { (.platform, $0) }
            + models.sorted().map { (.model, $0) }
        var components: [OperationsSnapshot.Health.Component] = []
        for (kind, name) in configured {
            let entry = engine.health.entry(kind, name)
            components.append(
                .init(
                    kind: kind.rawValue, name: name, calls: entry.calls, failures: entry.failures, lastSuccess: entry.lastSuccess,
                    lastError: entry.lastError, lastErrorText: entry.lastErrorText,
                    circuit: kind == .backend ? await engine.circuits.state(of: name, now: now) : nil))
        }
        return .init(since: engine.health.since, components: components)
    }
}
