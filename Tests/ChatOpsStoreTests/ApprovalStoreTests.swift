import ChatOpsCore
import ChatOpsStore
import Foundation
import Testing

@Suite("Store: approvals")
struct ApprovalStoreTests {
    @Test(arguments: StoreKind.allCases) func createApprovalIsIdempotentByJob(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = try await store.createApproval(Sample.approval(id: "aaaaaa", jobID: "job-1"))
            let second = try await store.createApproval(Sample.approval(id: "bbbbbb", jobID: "job-1"))
            #expect(first.id == "aaaaaa")
            #expect(second == first, "a retried job gets the request it already created")
            #expect(try await store.approval(id: "bbbbbb") == nil)
            #expect(try await store.approval(id: "AAAAAA") == first, "typed ids are case-insensitive")
        }
    }

    @Test(arguments: StoreKind.allCases) func aStoredRequestRoundTrips(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let request = Sample.approval()
            _ = try await store.createApproval(request)
            #expect(try await store.approval(id: request.id) == request)
            #expect(try await store.approval(id: "nothere") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func pendingApprovalIsFoundByThread(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let older = Sample.approval(id: "older1", jobID: "j1", thread: "t1")
            let newer = Sample.approval(id: "newer1", jobID: "j2", thread: "t1", createdAt: Sample.now.addingTimeInterval(5))
            let elsewhere = Sample.approval(id: "other1", jobID: "j3", thread: "t2")
            let unthreaded = Sample.approval(id: "nothrd", jobID: "j4", thread: nil)
            for request in [older, newer, elsewhere, unthreaded] { _ = try await store.createApproval(request) }
            let conversation = Conversation(platform: "test", channel: "ops", thread: "t1")
            #expect(try await store.pendingApproval(in: conversation)?.id == "newer1")
            #expect(try await store.pendingApproval(in: Conversation(platform: "test", channel: "ops"))?.id == "nothrd")
            #expect(try await store.pendingApproval(in: Conversation(platform: "test", channel: "ops", thread: "t9")) == nil)
            #expect(try await store.pendingApproval(in: Conversation(platform: "slack", channel: "ops", thread: "t1")) == nil)
            _ = try await store.updateApproval(id: "newer1") { $0.state = .rejected }
            #expect(try await store.pendingApproval(in: conversation)?.id == "older1", "decided requests are skipped")
        }
    }

    @Test(arguments: StoreKind.allCases) func updateApprovalPersistsTheChangeAndReturnsTheResult(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.createApproval(Sample.approval(count: 2))
            let outcome = try await store.updateApproval(id: "k7q2m9") { request in
                request.vote(by: Sample.person("bob"), roles: ["ml-lead"], decision: .approve, fingerprint: nil, now: Sample.now)
            }
            let (updated, result) = try #require(outcome)
            #expect(result == .recorded(remaining: 1))
            #expect(updated.approvals.count == 1)
            #expect(try await store.approval(id: "k7q2m9") == updated)
            #expect(try await store.updateApproval(id: "missing") { _ in 0 } == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentVotesReachTheQuorumExactlyOnce(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.createApproval(Sample.approval(count: 3))
            let results = try await withThrowingTaskGroup(of: VoteResult.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        let outcome = try await store.updateApproval(id: "k7q2m9") { request in
                            request.vote(
                                by: Sample.person("lead\(index)"), roles: ["ml-lead"], decision: .approve, fingerprint: nil,
                                now: Sample.now)
                        }
                        return outcome?.1 ?? .refused(.expired)
                    }
                }
                return try await group.reduce(into: [VoteResult]()) { $0.append($1) }
            }
            #expect(results.count == 10)
            #expect(results.filter { $0 == .approved }.count == 1)
            #expect(results.filter { $0 == .recorded(remaining: 2) }.count == 1)
            #expect(results.filter { $0 == .recorded(remaining: 1) }.count == 1)
            #expect(results.filter { $0 == .refused(.alreadyDecided(.approved)) }.count == 7)
            let stored = try #require(try await store.approval(id: "k7q2m9"))
            #expect(stored.state == .approved)
            #expect(stored.approvals.count == 3)
            #expect(Set(stored.votes.map(\.voter.userID)).count == 3)
        }
    }

    @Test(arguments: StoreKind.allCases) func expiredApprovalsAreThePendingOnesPastTheirTime(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let short = Sample.approval(id: "short1", jobID: "j1", expires: "10m")
            let long = Sample.approval(id: "long11", jobID: "j2", expires: "2h")
            let decided = Sample.approval(id: "done11", jobID: "j3", expires: "10m")
            for request in [short, long, decided] { _ = try await store.createApproval(request) }
            _ = try await store.updateApproval(id: "done11") { $0.state = .approved }
            #expect(try await store.expiredApprovals(now: Sample.now.addingTimeInterval(599)).isEmpty)
            #expect(try await store.expiredApprovals(now: Sample.now.addingTimeInterval(600)).map(\.id) == ["short1"])
            #expect(Set(try await store.expiredApprovals(now: Sample.now.addingTimeInterval(7200)).map(\.id)) == ["short1", "long11"])
            _ = try await store.updateApproval(id: "short1") { $0.expireIfDue(now: Sample.now.addingTimeInterval(600)) }
            #expect(try await store.expiredApprovals(now: Sample.now.addingTimeInterval(600)).isEmpty, "expired ones are no longer pending")
        }
    }
}

@Suite("Store: locks")
struct LockStoreTests {
    @Test(arguments: StoreKind.allCases) func theFirstOwnerHoldsTheLock(_ kind: StoreKind) async throws {
        try await withStore(kind) { store async throws in
            let mine = Sample.lock("fraud@prod", owner: "job-1")
            #expect(try await store.acquireLock(mine) == mine)
            let theirs = Sample.lock("fraud@prod", owner: "job-2", by: "dave")
            #expect(try await store.acquireLock(theirs) == mine, "the second owner is told who holds it")
            #expect(try await store.lock(target: "fraud@prod") == mine)
            #expect(try await store.acquireLock(Sample.lock("fraud@staging", owner: "job-2")).ownerID == "job-2", "other targets are free")
        }
    }

    @Test(arguments: StoreKind.allCases) func theSameOwnerMayReacquire(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let mine = Sample.lock("fraud@prod", owner: "job-1")
            _ = try await store.acquireLock(mine)
            #expect(try await store.acquireLock(mine).ownerID == "job-1")
        }
    }

    @Test(arguments: StoreKind.allCases) func onlyTheOwnerReleases(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let mine = Sample.lock("fraud@prod", owner: "job-1")
            _ = try await store.acquireLock(mine)
            #expect(try await store.releaseLock(target: "fraud@prod", ownerID: "job-2") == nil)
            #expect(try await store.lock(target: "fraud@prod") == mine, "a wrong owner changes nothing")
            #expect(try await store.releaseLock(target: "fraud@prod", ownerID: "job-1") == mine)
            #expect(try await store.lock(target: "fraud@prod") == nil)
            let next = Sample.lock("fraud@prod", owner: "job-2", by: "dave")
            #expect(try await store.acquireLock(next) == next)
        }
    }

    @Test(arguments: StoreKind.allCases) func releaseWithoutAnOwnerForcesIt(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let mine = Sample.lock("fraud@prod", owner: "job-1")
            _ = try await store.acquireLock(mine)
            #expect(try await store.releaseLock(target: "fraud@prod", ownerID: nil) == mine)
            #expect(try await store.lock(target: "fraud@prod") == nil)
            #expect(try await store.releaseLock(target: "fraud@prod", ownerID: nil) == nil)
        }
    }
}

@Suite("Proposal store")
struct ProposalStoreTests {
    @Test(arguments: StoreKind.allCases) func aProposalIsCreatedOncePerJobAndUpdatedAtomically(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let invocation = Invocation(command: "rollback", arguments: ["model": .string("fraud")], displayText: "rollback fraud")
            let proposal = Proposal(
                id: "abc234", jobID: "job-9", invocation: invocation, requester: Principal(platform: "test", userID: "alice"),
                conversation: Conversation(platform: "test", channel: "ops"), request: "undo fraud", interpretedBy: "m",
                createdAt: Date(timeIntervalSince1970: 1_800_000_000), lifetime: 600)
            #expect(try await store.createProposal(proposal) == proposal)
            var again = proposal
            again.id = "other1"
            #expect(try await store.createProposal(again).id == "abc234", "a retried job finds the proposal it made")
            let (updated, transition) = try #require(
                try await store.updateProposal(id: "ABC234") {
                    $0.answer(
                        .run, by: Principal(platform: "test", userID: "alice"), fingerprint: nil, jobID: "click",
                        now: Date(timeIntervalSince1970: 1_800_000_001))
                })
            #expect(transition == .run && updated.state == .confirmed)
            #expect(try await store.proposal(id: "abc234")?.confirmedByJob == "click", "the change was written")
            #expect(try await store.proposal(id: "nope") == nil)
        }
    }
}
