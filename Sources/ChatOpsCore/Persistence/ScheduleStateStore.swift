import Foundation

/// What the scheduler remembers between runs.
public protocol ScheduleStateStore: Sendable {
    func lastFiring(entry: String) async throws -> Date?
    /// Records a firing and enqueues its job in one transaction, so a restart neither skips nor repeats it.
    func recordFiring(entry: String, at: Date, job: NewJob?) async throws
    func lastPostDigest(entry: String) async throws -> String?
    func setLastPostDigest(entry: String, digest: String) async throws
}
