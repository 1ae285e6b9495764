import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: ApprovalStore {
    public func createApproval(_ request: ApprovalRequest) async throws -> ApprovalRequest {
        try await insertOnce(request)
    }

    public func approval(id: String) async throws -> ApprovalRequest? {
        try await document(ApprovalRequest.self, id: id)
    }

    public func pendingApproval(in conversation: Conversation) async throws -> ApprovalRequest? {
        try await firstDocument(
            ApprovalRequest.self,
            """
            SELECT body FROM approvals
            WHERE platform = ? AND channel = ? AND thread IS ? AND state = 'pending'
            ORDER BY created_at DESC LIMIT 1
            """,
            [conversation.platform, conversation.channel, conversation.thread])
    }

    public func updateApproval<T: Sendable>(
        id: String, _ change: @Sendable @escaping (inout ApprovalRequest) -> T,
        followUp: @Sendable @escaping (ApprovalRequest, T) -> NewJob?
    ) async throws -> (ApprovalRequest, T)? {
        try await updateDocument(
            ApprovalRequest.self, id: id, change,
            then: { [self] db, request, result in
                guard let job = followUp(request, result) else { return }
                _ = try Self.insert(job, payload: try encode(job.payload), in: db)
            })
    }

    public func expiredApprovals(now: Date) async throws -> [ApprovalRequest] {
        let bodies = try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM approvals WHERE state = 'pending' AND expires_at <= ?", arguments: [now.storeValue])
        }
        return try bodies.map { try decode(ApprovalRequest.self, $0) }
    }
}

extension SQLiteStore: LockStore {
    public func acquireLock(_ holder: LockHolder) async throws -> LockHolder {
        let body = try encode(holder)
        let stored = try await pool.write { db -> String in
            if let existing = try String.fetchOne(db, sql: "SELECT body FROM locks WHERE target = ?", arguments: [holder.target]) {
                return existing
            }
            try db.execute(
                sql: "INSERT INTO locks (target, owner_id, body) VALUES (?, ?, ?)", arguments: [holder.target, holder.ownerID, body])
            return body
        }
        return try decode(LockHolder.self, stored)
    }

    public func releaseLock(target: String, ownerID: String?) async throws -> LockHolder? {
        let body = try await pool.write { db -> String? in
            guard let row = try Row.fetchOne(db, sql: "SELECT owner_id, body FROM locks WHERE target = ?", arguments: [target]) else {
                return nil
            }
            if let ownerID, row["owner_id"] != ownerID { return nil }
            try db.execute(sql: "DELETE FROM locks WHERE target = ?", arguments: [target])
            return row["body"]
        }
        return try body.map { try decode(LockHolder.self, $0) }
    }

    public func releaseLocks(ownerID: String) async throws -> [LockHolder] {
        let bodies = try await pool.write { db -> [String] in
            let bodies = try String.fetchAll(db, sql: "SELECT body FROM locks WHERE owner_id = ?", arguments: [ownerID])
            try db.execute(sql: "DELETE FROM locks WHERE owner_id = ?", arguments: [ownerID])
            return bodies
        }
        return try bodies.map { try decode(LockHolder.self, $0) }
    }

    public func lock(target: String) async throws -> LockHolder? {
        let body = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM locks WHERE target = ?", arguments: [target])
        }
        return try body.map { try decode(LockHolder.self, $0) }
    }
}
