import ChatOpsCore
import Foundation
import GRDB

extension SQLiteStore: ProposalStore {
    public func createProposal(_ proposal: Proposal) async throws -> Proposal {
        try await insertOnce(proposal)
    }

    public func proposal(id: String) async throws -> Proposal? {
        try await document(Proposal.self, id: id)
    }

    public func updateProposal<T: Sendable>(id: String, _ change: @Sendable @escaping (inout Proposal) -> T) async throws -> (Proposal, T)? {
        try await updateDocument(Proposal.self, id: id, change)
    }
}
