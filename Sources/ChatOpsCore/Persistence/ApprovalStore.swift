import Foundation

/// Approvals, kept across restarts.
public protocol ApprovalStore: Sendable {
    /// Stores a new request, or returns the one the same job already created.
    func createApproval(_ request: ApprovalRequest) async throws -> ApprovalRequest
    func approval(id: String) async throws -> ApprovalRequest?
    /// The newest pending request in a thread, for votes typed there without an id.
    func pendingApproval(in conversation: Conversation) async throws -> ApprovalRequest?
    /// Reads, changes and writes one request atomically, and in the same transaction enqueues the
    /// job `followUp` returns for the change (the run of a request that reached its quorum), so a
    /// failure after the write can never leave an approved request that nothing runs.
    func updateApproval<T: Sendable>(
        id: String, _ change: @Sendable @escaping (inout ApprovalRequest) -> T,
        followUp: @Sendable @escaping (ApprovalRequest, T) -> NewJob?
    ) async throws -> (ApprovalRequest, T)?
    /// Pending requests whose expiry has passed.
    func expiredApprovals(now: Date) async throws -> [ApprovalRequest]
}

extension ApprovalStore {
    /// Reads, changes and writes one request atomically.
    public func updateApproval<T: Sendable>(
        id: String, _ change: @Sendable @escaping (inout ApprovalRequest) -> T
    ) async throws -> (ApprovalRequest, T)? {
        try await updateApproval(id: id, change, followUp: { _, _ in nil })
    }
}

extension ApprovalStore {
    /// Every pending request, whenever it expires (for operators).
    public func pendingApprovals() async throws -> [ApprovalRequest] {
        // Every pending request expires before the end of time.
        try await expiredApprovals(now: .distantFuture).sorted { $0.createdAt < $1.createdAt }
    }
}
