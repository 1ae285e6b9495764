import ChatOpsCore
import ChatOpsStore
import Foundation
import Logging
import ServiceLifecycle

/// Runs durable jobs: claims them with a lease, keeps the lease alive while a job runs, retries
/// failures with backoff, reports jobs that run out of attempts, and expires overdue approvals.
///
/// On graceful shutdown it stops claiming, lets in-flight jobs finish, and releases its leases.
public struct JobWorkerService: Service {
    public struct Settings: Sendable {
        public var workers: Int
        public var lease: TimeInterval
        public var poll: Duration
        public var maxAttempts: Int
        /// How long a failed job waits before its next attempt, by the number of attempts so far.
        public var retryDelay: @Sendable (Int) -> TimeInterval

        public init(
            workers: Int = 2, lease: TimeInterval = 30, poll: Duration = .milliseconds(200), maxAttempts: Int = 5,
            retryDelay: @escaping @Sendable (Int) -> TimeInterval = { attempts in min(60, pow(2, Double(attempts))) }
        ) {
            self.workers = workers
            self.lease = lease
            self.poll = poll
            self.maxAttempts = maxAttempts
            self.retryDelay = retryDelay
        }
    }

    let engine: Engine
    let settings: Settings
    let identity: String
    let logger: Logger
    let metrics = BotMetrics()

    /// - Parameters:
    ///   - engine: what runs each job.
    ///   - settings: worker count, lease, poll interval, attempts.
    ///   - identity: this process's worker prefix; leases name it.
    public init(engine: Engine, settings: Settings, identity: String = JobWorkerService.processIdentity, logger: Logger) {
        self.engine = engine
        self.settings = settings
        self.identity = identity
        self.logger = logger
    }

    /// Host name and process id: unique per running process.
    public static var processIdentity: String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    public func run() async throws {
        await reclaimOrphanedLeases()
        if settings.workers == 0 {
            logger.warning(
                "this replica runs no jobs (workers.count is 0): what arrives is stored for the replicas that run jobs, and with none (a SQLite store is one process) nothing runs"
            )
        }
        await withDiscardingTaskGroup { group in
            for index in 0..<max(0, settings.workers) {
                group.addTask { await workLoop(worker: "\(identity)-\(index)") }
            }
            group.addTask { await housekeepingLoop() }
        }
        logger.info("workers stopped")
    }

    /// Returns to the queue at once the jobs held by this machine's earlier processes that are gone
    /// (a crash, or a container restarted with the same process id), instead of waiting out their
    /// leases. Other machines' leases and live processes' leases are left alone.
    public func reclaimOrphanedLeases() async {
        guard let owners = try? await engine.store.leaseOwners() else { return }
        let host = ProcessInfo.processInfo.hostName
        let ownPID = ProcessInfo.processInfo.processIdentifier
        for owner in owners where Self.isOrphaned(owner, host: host, ownPID: ownPID, isAlive: Self.processExists) {
            let released = (try? await engine.store.releaseLeases(worker: owner)) ?? 0
            logger.info("reclaimed jobs of an earlier process", metadata: ["chatops.worker": "\(owner)", "chatops.count": "\(released)"])
        }
    }

    /// Whether a lease owner (`host-pid-index`) is a worker of a process on this host that is no
    /// longer running: its pid is this process's own (an earlier incarnation) or no process has it.
    static func isOrphaned(_ owner: String, host: String, ownPID: Int32, isAlive: (Int32) -> Bool) -> Bool {
        guard owner.hasPrefix(host + "-") else { return false }
        let rest = owner.dropFirst(host.count + 1).split(separator: "-")
        guard rest.count == 2, let pid = Int32(rest[0]), Int(rest[1]) != nil else { return false }
        return pid == ownPID || !isAlive(pid)
    }

    static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno != ESRCH
    }

    private func workLoop(worker: String) async {
        var failedClaims = 0
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let turn = await takeTurn(worker: worker)
            if turn == .storeUnavailable {
                failedClaims += 1
                if failedClaims == 1 {
                    logger.error("the store does not answer; this worker pauses until it does", metadata: ["chatops.worker": "\(worker)"])
                }
            } else if failedClaims > 0 {
                logger.notice(
                    "the store answers again; the worker resumes",
                    metadata: ["chatops.worker": "\(worker)", "chatops.failed_claims": "\(failedClaims)"])
                failedClaims = 0
            }
            if turn != .ran {
                let pause = failedClaims == 0 ? settings.poll : min(settings.poll * (1 << min(failedClaims, 5)), .seconds(5))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            }
        }
        let released = (try? await engine.store.releaseLeases(worker: worker)) ?? 0
        if released > 0 { logger.info("released leases", metadata: ["chatops.worker": "\(worker)", "chatops.count": "\(released)"]) }
    }

    /// What one turn of a worker did.
    enum Turn: Equatable {
        case ran, idle
        /// The claim failed: the store does not answer (the worker pauses and tries again).
        case storeUnavailable
    }

    /// Claims and runs one job. Returns false when the queue had nothing to run.
    @discardableResult
    public func runOne(worker: String) async -> Bool {
        await takeTurn(worker: worker) == .ran
    }

    /// Claims and runs one job, if any is runnable.
    func takeTurn(worker: String) async -> Turn {
        let job: Job
        do {
            // A database that went away may not refuse at once; a claim that lands after this gave up is
            // only a lease nobody renews, and the job returns to the queue when it expires.
            let (store, lease) = (engine.store, settings.lease)
            let claim = try await withAbandoningDeadline(Self.storeWait) { try await store.claim(worker: worker, lease: lease, now: Date()) }
            guard let claimed = claim else { return .idle }
            job = claimed
        } catch {
            logger.debug("could not claim a job", metadata: ["error": "\(error)"])
            return .storeUnavailable
        }
        var jobLogger = logger
        jobLogger[metadataKey: "chatops.job"] = "\(job.id)"
        jobLogger[metadataKey: "chatops.attempt"] = "\(job.attempts)"
        if job.attempts > settings.maxAttempts {
            // The previous attempt's worker stopped without finishing it: this claim is not an attempt. When
            // that attempt ran the action (only its end could not be recorded: the store did not answer), the
            // job goes on, posting the recorded outcome without running the action; otherwise (a crash
            // loop) it is given up.
            let ran =
                (try? await withAbandoningDeadline(Self.storeWait) { [store = engine.store] in
                    try await store.recordedOutcome(executionID: job.id) != nil
                }) ?? false
            if !ran { return await giveUp(job, worker: worker, attemptsRun: job.attempts - 1) }
        }
        let store = engine.store
        do {
            try await withLeaseKept(job: job, worker: worker) { try await engine.process(job) }
        } catch let error as LeaseLost {
            jobLogger.warning("lost the job's lease; its new owner carries on", metadata: ["error": "\(error)"])
            return .ran
        } catch let error as BackendUnavailable where Date().timeIntervalSince(job.createdAt) < Self.longestWait {
            jobLogger.info("job waits for its backend", metadata: ["error": "\(error)"])
            return await record { try await store.postpone(jobID: job.id, worker: worker, until: error.until, note: "\(error)") }
        } catch  where job.attempts >= settings.maxAttempts {
            jobLogger.error("job failed on its last attempt", metadata: ["error": "\(error)"])
            return await giveUp(job, worker: worker, attemptsRun: job.attempts)
        } catch {
            let backoff = settings.retryDelay(job.attempts)
            jobLogger.warning("job failed; will retry", metadata: ["error": "\(error)", "chatops.retry_in_s": "\(backoff)"])
            let next = Date().addingTimeInterval(backoff)
            return await record { try await store.retry(jobID: job.id, worker: worker, at: next, note: "\(error)") }
        }
        jobLogger.debug("job done")
        return await record { try await store.finish(jobID: job.id, worker: worker, state: .done, note: nil) }
    }

    /// How long a worker waits for the store to answer one call before it pauses.
    static let storeWait: Duration = .seconds(5)

    /// Records what became of a job. When the store does not answer in time the worker pauses; the
    /// job's lease lapses and it runs again, where its recorded outcome keeps the action from running twice.
    private func record(_ write: @escaping @Sendable () async throws -> Void) async -> Turn {
        do {
            try await withAbandoningDeadline(Self.storeWait, write)
            return .ran
        } catch {
            logger.debug("could not record a job's end", metadata: ["error": "\(error)"])
            return .storeUnavailable
        }
    }

    /// How long after it was queued a job may still wait for its backend's circuit to close.
    static let longestWait: TimeInterval = 3_600

    private func giveUp(_ job: Job, worker: String, attemptsRun: Int) async -> Turn {
        await engine.reportFailure(of: job, attempts: attemptsRun)
        let store = engine.store
        return await record { try await store.finish(jobID: job.id, worker: worker, state: .failed, note: "failed after \(attemptsRun) attempts") }
    }

    /// The job's lease was taken over or could not be renewed: this worker must stop acting for it.
    struct LeaseLost: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// Runs `body` while a sibling task renews the job's lease every third of its length. When a
    /// renewal fails or finds the lease gone, `body` is cancelled: its posts and backend calls stop.
    private func withLeaseKept(job: Job, worker: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body() }
            group.addTask {
                // A renewal that fails (a busy database) is tried again while the lease still holds;
                // only when it would have lapsed, or another worker holds it, is the lease lost.
                var heldUntil = Date().addingTimeInterval(settings.lease)
                while true {
                    try await Task.sleep(for: .seconds(settings.lease / 3))
                    let until = Date().addingTimeInterval(settings.lease)
                    do {
                        guard try await engine.store.renewLease(jobID: job.id, worker: worker, until: until) else {
                            throw LeaseLost(reason: "another worker holds the lease")
                        }
                        heldUntil = until
                    } catch let error as LeaseLost {
                        throw error
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch  where Date().addingTimeInterval(settings.lease / 3) < heldUntil {
                        logger.warning("could not renew a lease; trying again", metadata: ["chatops.job": "\(job.id)", "error": "\(error)"])
                    } catch {
                        throw LeaseLost(reason: "the lease could not be renewed before it lapsed: \(error)")
                    }
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func housekeepingLoop() async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await engine.expireDueApprovals()
                metrics.queueDepth(try await engine.store.queueDepth())
            } catch is CancellationError {
                break
            } catch {
                logger.warning("housekeeping failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
    }
}
