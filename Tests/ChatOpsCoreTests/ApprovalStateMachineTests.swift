import ChatOpsCore
import Foundation
import Testing

/// One vote, written so `#expect` can check the result of the mutation.
private func cast(
    _ request: inout ApprovalRequest, by voter: Principal, roles: Set<String> = ["ml-lead"], _ decision: ApprovalDecision = .approve,
    fingerprint: String? = nil, comment: String? = nil, at now: Date = ApprovalStateMachineTests.start.addingTimeInterval(60)
) -> VoteResult {
    request.vote(by: voter, roles: roles, decision: decision, fingerprint: fingerprint, comment: comment, now: now)
}

@Suite("ApprovalRequest.vote and expireIfDue")
struct ApprovalStateMachineTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    let alice = Fixtures.person("alice")
    let bob = Fixtures.person("bob")
    let carol = Fixtures.person("carol")

    /// A prod deploy requested by alice, approvable by ml-lead.
    func request(count: Int = 1, selfApproval: Bool = false, expires: String = "2h") throws -> ApprovalRequest {
        let invocation = try Fixtures.invocation("deploy fraud v12 --env prod")
        let policy = ApprovalPolicy(approvers: ["ml-lead"], count: count, selfApproval: selfApproval, expires: expires)
        return ApprovalRequest(
            id: "k7q2m9", jobID: "job-1", invocation: invocation, requester: alice,
            conversation: Conversation(platform: "test", channel: "ops", thread: "t1"), policy: policy,
            createdAt: Self.start, lockTarget: "fraud@prod")
    }

    @Test func aNewRequestIsPendingAndBoundToItsInvocation() throws {
        let request = try request()
        #expect(request.state == .pending)
        #expect(request.fingerprint == request.invocation.fingerprint)
        #expect(request.expiresAt == Self.start.addingTimeInterval(7200))
        #expect(request.requiredCount == 1)
        #expect(request.votes.isEmpty)
    }

    @Test func aButtonCarriesTheFingerprintsStartAndOnlyThatCommandsStartCounts() throws {
        var request = try request()
        let start = String(request.fingerprint.prefix(ButtonAction.fingerprintLength))
        #expect(cast(&request, by: bob, fingerprint: String(start.reversed())) == .refused(.fingerprintMismatch))
        #expect(cast(&request, by: bob, fingerprint: String(start.prefix(8))) == .refused(.fingerprintMismatch), "too short a start says nothing")
        #expect(cast(&request, by: bob, fingerprint: start) == .approved)
    }

    @Test func aCountBelowOneStillNeedsOneApproval() throws {
        #expect(try request(count: 0).requiredCount == 1)
    }

    @Test func oneApproverApproves() throws {
        var request = try request()
        #expect(cast(&request, by: bob, fingerprint: request.fingerprint) == .approved)
        #expect(request.state == .approved)
        #expect(request.approvals.map(\.voter) == [bob])
    }

    @Test func selfApprovalIsRefusedByDefault() throws {
        var request = try request()
        #expect(cast(&request, by: alice) == .refused(.selfApproval))
        #expect(request.state == .pending)
        #expect(request.votes.isEmpty)
    }

    @Test func selfApprovalWhenThePolicyAllowsIt() throws {
        var request = try request(selfApproval: true)
        #expect(cast(&request, by: alice) == .approved)
        #expect(request.state == .approved)
    }

    @Test func theSameUserIDOnAnotherPlatformIsSomeoneElse() throws {
        var request = try request()
        #expect(cast(&request, by: Fixtures.person("alice", platform: "slack")) == .approved)
    }

    @Test func aNonApproverIsRefused() throws {
        var request = try request()
        #expect(cast(&request, by: bob, roles: ["ml-engineer"]) == .refused(.notAnApprover(needed: ["ml-lead"])))
        #expect(cast(&request, by: bob, roles: ["ml-engineer"], .reject) == .refused(.notAnApprover(needed: ["ml-lead"])))
        #expect(request.state == .pending)
        #expect(request.votes.isEmpty)
    }

    @Test func aDuplicateVoteChangesNothing() throws {
        var request = try request(count: 2)
        #expect(cast(&request, by: bob) == .recorded(remaining: 1))
        let before = request
        #expect(cast(&request, by: bob) == .duplicate)
        #expect(request == before)
    }

    @Test func twoApprovalsNeedTwoDistinctApprovers() throws {
        var request = try request(count: 2)
        #expect(cast(&request, by: bob) == .recorded(remaining: 1))
        #expect(cast(&request, by: bob) == .duplicate)
        #expect(request.state == .pending)
        #expect(request.approvals.count == 1)
        #expect(cast(&request, by: carol) == .approved)
        #expect(request.state == .approved)
        #expect(Set(request.approvals.map(\.voter)) == [bob, carol])
    }

    @Test func aRejectEndsIt() throws {
        var request = try request(count: 2)
        _ = cast(&request, by: bob)
        #expect(cast(&request, by: carol, .reject, comment: "not today") == .rejected)
        #expect(request.state == .rejected)
        #expect(request.votes.last?.comment == "not today")
        #expect(cast(&request, by: Fixtures.person("dan")) == .refused(.alreadyDecided(.rejected)))
    }

    @Test func anApproverMayChangeTheirMindToReject() throws {
        var request = try request(count: 2)
        _ = cast(&request, by: bob)
        #expect(cast(&request, by: bob, .reject) == .rejected)
        #expect(request.votes.map(\.decision) == [.reject], "the earlier approval is replaced")
    }

    @Test func theRequesterMayWithdrawWithoutTheApproverRole() throws {
        var request = try request()
        #expect(cast(&request, by: alice, roles: [], .reject, comment: "wrong version") == .rejected)
        #expect(request.state == .rejected)
        #expect(request.votes.map(\.voter) == [alice])
    }

    @Test func anExpiredRequestRefusesVotes() throws {
        var justInTime = try request(expires: "30m")
        #expect(cast(&justInTime, by: bob, at: Self.start.addingTimeInterval(1799)) == .approved)
        var late = try request(expires: "30m")
        let expiry = Self.start.addingTimeInterval(1800)
        #expect(cast(&late, by: bob, at: expiry) == .refused(.expired))
        #expect(cast(&late, by: alice, roles: [], .reject, at: expiry) == .refused(.expired))
        #expect(late.state == .pending, "expiring is expireIfDue's job")
        #expect(late.votes.isEmpty)
    }

    @Test func expireIfDueOnlyOnceAndOnlyWhenDue() throws {
        var request = try request(expires: "30m")
        let early = request.expireIfDue(now: Self.start.addingTimeInterval(1799))
        #expect(!early)
        #expect(request.state == .pending)
        let due = request.expireIfDue(now: Self.start.addingTimeInterval(1800))
        #expect(due)
        #expect(request.state == .expired)
        let again = request.expireIfDue(now: Self.start.addingTimeInterval(3600))
        #expect(!again)
        #expect(cast(&request, by: bob) == .refused(.alreadyDecided(.expired)))
    }

    @Test func aDecidedRequestDoesNotExpire() throws {
        var request = try request()
        _ = cast(&request, by: bob)
        let expired = request.expireIfDue(now: Self.start.addingTimeInterval(86_400))
        #expect(!expired)
        #expect(request.state == .approved)
    }

    @Test func aVoteForAnotherInvocationIsRefused() throws {
        var request = try request()
        let other = try Fixtures.invocation("deploy fraud v13 --env prod").fingerprint
        #expect(cast(&request, by: bob, fingerprint: other) == .refused(.fingerprintMismatch))
        #expect(cast(&request, by: alice, roles: [], .reject, fingerprint: other) == .refused(.fingerprintMismatch))
        #expect(request.state == .pending)
        #expect(request.votes.isEmpty)
    }

    @Test func votingAfterTheDecisionIsRefused() throws {
        var request = try request()
        _ = cast(&request, by: bob)
        #expect(cast(&request, by: carol) == .refused(.alreadyDecided(.approved)))
        #expect(cast(&request, by: carol, .reject) == .refused(.alreadyDecided(.approved)))
        #expect(cast(&request, by: bob, .reject) == .refused(.alreadyDecided(.approved)))
        #expect(cast(&request, by: alice, roles: [], .reject) == .refused(.alreadyDecided(.approved)))
        #expect(request.state == .approved)
        #expect(request.votes.count == 1)
    }

    @Test func refusalsExplainThemselves() {
        #expect(VoteRefusal.alreadyDecided(.approved).message == "This request is already approved.")
        #expect(VoteRefusal.notAnApprover(needed: ["ml-lead", "admin"]).message.contains("ml-lead or admin"))
    }

    @Test func idsAreShortAndTypeable() {
        let ids = (0..<50).map { _ in ApprovalRequest.makeID() }
        #expect(ids.allSatisfy { $0.count == 6 && $0.allSatisfy { "abcdefghjkmnpqrstuvwxyz23456789".contains($0) } })
        #expect(Set(ids).count > 1)
    }
}
