import Foundation

/// Locks on the targets of mutating commands.
public protocol LockStore: Sendable {
    /// Takes the lock, or reports who holds it. Re-acquiring with the same owner succeeds.
    func acquireLock(_ holder: LockHolder) async throws -> LockHolder
    /// Releases the lock if `ownerID` holds it (any owner when nil). Returns the released holder.
    func releaseLock(target: String, ownerID: String?) async throws -> LockHolder?
    /// Releases every lock `ownerID` holds (a job that failed for good). Returns what was released.
    func releaseLocks(ownerID: String) async throws -> [LockHolder]
    func lock(target: String) async throws -> LockHolder?
}
