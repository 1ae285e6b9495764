import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: ProposalStore {
    public func createProposal(_ proposal: Proposal) async throws -> Proposal {
        let body = try encode(proposal)
        let stored = try await pool.write { db -> String in
            if let existing = try String.fetchOne(db, sql: "SELECT body FROM proposals WHERE job_id = ?", arguments: [proposal.jobID]) {
                return existing
            }
            try db.execute(
                sql: "INSERT INTO proposals (id, job_id, state, created_at, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [proposal.id, proposal.jobID, proposal.state.rawValue, proposal.createdAt.storeValue, body])
            return body
        }
        return try decode(Proposal.self, stored)
    }

    public func proposal(id: String) async throws -> Proposal? {
        let body = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM proposals WHERE id = ?", arguments: [id.lowercased()])
        }
        return try body.map { try decode(Proposal.self, $0) }
    }

    public func updateProposal<T: Sendable>(id: String, _ change: @Sendable @escaping (inout Proposal) -> T) async throws -> (Proposal, T)? {
        try await pool.write { [self] db -> (Proposal, T)? in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM proposals WHERE id = ?", arguments: [id.lowercased()]) else {
                return nil
            }
            var proposal = try decode(Proposal.self, body)
            let result = change(&proposal)
            try db.execute(
                sql: "UPDATE proposals SET state = ?, body = ? WHERE id = ?",
                arguments: [proposal.state.rawValue, try encode(proposal), proposal.id])
            return (proposal, result)
        }
    }
}
