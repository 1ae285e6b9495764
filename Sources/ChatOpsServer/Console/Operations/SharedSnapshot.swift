/// One operations snapshot shared by every open operations page for `maxAge`: many open pages cost
/// one read of the audit log, not one each.
actor SharedSnapshot {
    private let report: OperationsReport
    private let maxAge: Duration
    private var latest: (at: ContinuousClock.Instant, snapshot: OperationsSnapshot)?
    private var inFlight: Task<OperationsSnapshot, any Error>?

    init(report: OperationsReport, maxAge: Duration = .seconds(1)) {
        self.report = report
        self.maxAge = maxAge
    }

    /// The latest snapshot, taken again when it is older than `maxAge`; callers meanwhile wait for
    /// the same one.
    func current() async throws -> OperationsSnapshot {
        if let latest, ContinuousClock.now - latest.at < maxAge { return latest.snapshot }
        if let inFlight { return try await inFlight.value }
        let task = Task { [report] in try await report.snapshot() }
        inFlight = task
        defer { inFlight = nil }
        let snapshot = try await task.value
        latest = (ContinuousClock.now, snapshot)
        return snapshot
    }
}
