import Foundation

/// Commands proposed from plain words, waiting for the requester's Run or Cancel.
public protocol ProposalStore: Sendable {
    /// Stores a new proposal, or returns the one the same job already created.
    func createProposal(_ proposal: Proposal) async throws -> Proposal
    func proposal(id: String) async throws -> Proposal?
    /// Reads, changes and writes one proposal atomically.
    func updateProposal<T: Sendable>(id: String, _ change: @Sendable @escaping (inout Proposal) -> T) async throws -> (Proposal, T)?
}
