import Foundation

/// What the scheduler remembers between runs.
public protocol ScheduleStateStore: Sendable {
    func lastFiring(entry: String) async throws -> Date?
    /// Records a firing and enqueues its job in one transaction, so a restart neither skips nor repeats it.
    /// The recorded time never moves back: a late writer (a replica that lost the lead mid-tick) cannot
    /// make a firing due again, and the job's dedupe key stops it from running twice anyway.
    func recordFiring(entry: String, at: Date, job: NewJob?) async throws
    func lastPostDigest(entry: String) async throws -> String?
    func setLastPostDigest(entry: String, digest: String) async throws
    /// Whether this process fires the schedules now. Processes sharing one store elect one of them;
    /// it keeps the lead while it lives, and another takes it within a tick when it dies. Called before
    /// every tick, so it is the leader's heartbeat too.
    func holdsScheduleLeadership() async -> Bool
}
