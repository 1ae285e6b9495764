import ChatOpsCore
import ChatOpsStore
import Foundation
import Logging
import ServiceLifecycle

/// A schedule entry ready to fire: its cron schedule and the inbound it produces.
public struct ScheduledCommand: Sendable {
    public var name: String
    public var schedule: CronSchedule
    public var text: String
    public var runAs: Principal
    public var conversation: Conversation

    public init(name: String, schedule: CronSchedule, text: String, runAs: Principal, conversation: Conversation) {
        self.name = name
        self.schedule = schedule
        self.text = text
        self.runAs = runAs
        self.conversation = conversation
    }
}

/// Fires schedule entries by turning each firing into a durable job.
///
/// Each firing is recorded together with its job in one transaction and keyed by entry and time,
/// so a restart neither skips a firing that fell due while the bot was down nor repeats one. When
/// several firings of one entry fell due (a long outage), only the latest runs, and its post says
/// how many earlier ones were skipped. An entry's first start begins counting from that moment.
public struct SchedulerService: Service {
    let entries: [ScheduledCommand]
    let store: any Store
    let logger: Logger
    let now: @Sendable () -> Date
    public init(entries: [ScheduledCommand], store: any Store, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.entries = entries
        self.store = store
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        guard !entries.isEmpty else {
            // Nothing to schedule: stay up until shutdown, as every service in the group must.
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                if await store.holdsScheduleLeadership() { try await tick() }
            } catch {
                logger.warning("scheduler tick failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
    }

    /// Enqueues the latest firing of each entry due since its last recorded one.
    /// - Returns: the number of firings enqueued.
    @discardableResult
    public func tick() async throws -> Int {
        let moment = now()
        var fired = 0
        for entry in entries {
            guard let last = try await store.lastFiring(entry: entry.name) else {
                try await store.recordFiring(entry: entry.name, at: moment, job: nil)
                continue
            }
            guard let due = entry.schedule.missedFirings(after: last, until: moment) else { continue }
            let stamp = Int(due.latest.timeIntervalSince1970)
            let inbound = Inbound(
                kind: .scheduled(entry: entry.name, text: entry.text, skipped: due.skipped > 0 ? due.skipped : nil),
                sender: entry.runAs, conversation: entry.conversation, dedupeKey: "schedule:\(entry.name):\(stamp)", receivedAt: due.latest)
            try await store.recordFiring(
                entry: entry.name, at: due.latest, job: NewJob(dedupeKey: inbound.dedupeKey, payload: .inbound(inbound), availableAt: moment))
            logger.info(
                "schedule fired",
                metadata: [
                    "chatops.schedule": "\(entry.name)", "chatops.firing": "\(stamp)", "chatops.skipped": "\(due.skipped)",
                ])
            fired += 1
        }
        return fired
    }
}
