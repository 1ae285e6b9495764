import ChatOpsCore
import Foundation

/// What the audit log says about commands and schedules, read in one pass: each command's decision,
/// its approval, the action's start and end, and each schedule's newest firing. Every replica writes
/// the same log, so every replica's operations page shows the same history.
struct AuditDigest {
    typealias CommandRun = OperationsSnapshot.CommandRun

    /// Commands in the order they were first decided, one per job (a retried job decides again).
    private(set) var commands: [CommandRun] = []
    private var rowOfJob: [String: Int] = [:]
    /// The approval each job asked for.
    private var approvalOfJob: [String: String] = [:]
    private var ends: [String: AuditEvent] = [:]
    private var starts: Set<String> = []
    private var lockedJobs: Set<String> = []
    /// Jobs that ran out of attempts, with how many they had.
    private var failedJobs: [String: String] = [:]
    /// Approved requests that did not run, with the state and why.
    private var unrunApprovals: [String: (state: String, why: String)] = [:]
    /// Each schedule's newest firing job, and the executions whose post was held back as unchanged.
    private(set) var scheduleJobs: [String: String] = [:]
    private var unchanged: Set<String> = []

    init(_ events: [AuditEvent]) {
        for event in events { read(event) }
        commands = commands.map(settle)
    }

    private mutating func read(_ event: AuditEvent) {
        let subject = event.subject ?? ""
        let details = event.details
        switch event.kind {
        case "decision":
            let denied = details["decision"] == "denied"
            let run = CommandRun(
                job: subject, command: details["command"] ?? "", actor: event.actor ?? "", at: event.date, state: denied ? "denied" : "accepted",
                headline: denied ? details["reason"] : nil)
            if let row = rowOfJob[subject] {
                commands[row] = run
            } else {
                rowOfJob[subject] = commands.count
                commands.append(run)
            }
        case "approval.requested":
            if let job = details["job"] { approvalOfJob[job] = subject }
        case "approval.denied": unrunApprovals[subject] = ("denied", "the requester may no longer run it: \(details["reason"] ?? "")")
        case "approval.mismatch": unrunApprovals[subject] = ("not run", "the command no longer matches the command files")
        case "lock.busy":
            if let job = details["job"] { lockedJobs.insert(job) }
            if let approval = details["approval"] { unrunApprovals[approval] = ("locked", "another command held the target") }
        case "job.failed":
            let attempts = details["attempts"] ?? "all"
            if let approval = details["approval"] {
                unrunApprovals[approval] = ("failed", "the approved run gave up after \(attempts) attempts")
            } else {
                failedJobs[subject] = attempts
            }
        case "action.start": starts.insert(subject)
        case "action.end": ends[subject] = event
        case "inbound":
            if let entry = details["schedule"] { scheduleJobs[entry] = subject }
        case "schedule.unchanged":
            if let execution = details["execution"] { unchanged.insert(execution) }
        default: break
        }
    }

    /// A command's state from what followed its decision.
    private func settle(_ run: CommandRun) -> CommandRun {
        var run = run
        guard run.state != "denied" else { return run }
        run.approval = approvalOfJob[run.job]
        if let end = ends[run.execution] {
            run.state = end.details["status"] ?? "finished"
            run.headline = end.details["headline"]
            run.durationMs = end.details["latency_ms"].flatMap { Int($0) }
        } else if let approval = run.approval, let unrun = unrunApprovals[approval] {
            (run.state, run.headline) = unrun
        } else if let attempts = failedJobs[run.job] {
            (run.state, run.headline) = ("failed", "gave up after \(attempts) attempts")
        } else if starts.contains(run.execution) {
            run.state = "running"
        } else if lockedJobs.contains(run.job) {
            run.state = "locked"
        } else if run.approval != nil {
            run.state = "awaiting approval"
        }
        return run
    }

    /// A schedule's newest result: the state of the command its last firing ran.
    func lastResult(of entry: String) -> CommandRun? {
        guard let job = scheduleJobs[entry], var run = commands.last(where: { $0.job == job }) else { return nil }
        if unchanged.contains(job) { run.headline = "unchanged since the last post (not posted): " + (run.headline ?? "") }
        return run
    }
}
