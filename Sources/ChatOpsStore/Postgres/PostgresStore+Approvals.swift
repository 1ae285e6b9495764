import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: ApprovalStore {
    public func createApproval(_ request: ApprovalRequest) async throws -> ApprovalRequest {
        try await insertOnce(request)
    }

    public func approval(id: String) async throws -> ApprovalRequest? {
        try await document(ApprovalRequest.self, id: id)
    }

    public func pendingApproval(in conversation: Conversation) async throws -> ApprovalRequest? {
        try await documents(
            ApprovalRequest.self,
            """
            SELECT body FROM approvals
            WHERE platform = \(conversation.platform) AND channel = \(conversation.channel)
                AND thread IS NOT DISTINCT FROM \(conversation.thread)::text AND state = 'pending'
            ORDER BY created_at DESC LIMIT 1
            """
        ).first
    }

    public func updateApproval<T: Sendable>(
        id: String, _ change: @Sendable @escaping (inout ApprovalRequest) -> T,
        followUp: @Sendable @escaping (ApprovalRequest, T) -> NewJob?
    ) async throws -> (ApprovalRequest, T)? {
        try await updateDocument(
            ApprovalRequest.self, id: id, change,
            then: { [coding] session, request, result in
                guard let job = followUp(request, result) else { return }
                _ = try await Self.insert(job, payload: try coding.encode(job.payload), in: session)
            })
    }

    public func expiredApprovals(now: Date) async throws -> [ApprovalRequest] {
        try await documents(ApprovalRequest.self, "SELECT body FROM approvals WHERE state = 'pending' AND expires_at <= \(now.storeValue)")
    }
}

extension PostgresStore: LockStore {
    /// How often taking a lock is tried when its holder releases it between the insert and the read.
    private static let lockAttempts = 5

    public func acquireLock(_ holder: LockHolder) async throws -> LockHolder {
        let body = try coding.encode(holder)
        for _ in 0..<Self.lockAttempts {
            let taken = try await documents(
                LockHolder.self,
                """
                INSERT INTO locks (target, owner_id, body) VALUES (\(holder.target), \(holder.ownerID), \(body))
                ON CONFLICT (target) DO NOTHING RETURNING body
                """)
            if let mine = taken.first { return mine }
            if let theirs = try await lock(target: holder.target) { return theirs }
        }
        throw StoreError.rowVanished(table: "locks", key: holder.target)
    }

    public func releaseLock(target: String, ownerID: String?) async throws -> LockHolder? {
        let delete: PostgresQuery =
            if let ownerID {
                "DELETE FROM locks WHERE target = \(target) AND owner_id = \(ownerID) RETURNING body"
            } else {
                "DELETE FROM locks WHERE target = \(target) RETURNING body"
            }
        return try await documents(LockHolder.self, delete).first
    }

    public func releaseLocks(ownerID: String) async throws -> [LockHolder] {
        try await documents(LockHolder.self, "DELETE FROM locks WHERE owner_id = \(ownerID) RETURNING body")
    }

    public func lock(target: String) async throws -> LockHolder? {
        try await documents(LockHolder.self, "SELECT body FROM locks WHERE target = \(target)").first
    }
}
