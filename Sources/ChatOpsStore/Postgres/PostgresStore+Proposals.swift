import ChatOpsCore
import Foundation
import PostgresNIO

extension PostgresStore: ProposalStore {
    public func createProposal(_ proposal: Proposal) async throws -> Proposal {
        try await insertOnce(
            proposal, into: "proposals", jobID: proposal.jobID,
            columns: ["id": proposal.id, "state": proposal.state.rawValue, "created_at": proposal.createdAt.storeValue])
    }

    public func proposal(id: String) async throws -> Proposal? {
        try await document(Proposal.self, in: "proposals", id: id)
    }

    public func updateProposal<T: Sendable>(id: String, _ change: @Sendable @escaping (inout Proposal) -> T) async throws -> (Proposal, T)? {
        try await updateDocument(Proposal.self, in: "proposals", id: id, columns: { ["state": $0.state.rawValue] }, change)
    }
}
