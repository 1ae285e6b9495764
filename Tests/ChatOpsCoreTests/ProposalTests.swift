import ChatOpsCore
import Foundation
import Testing

@Suite("Proposed commands: parsing answers and the state machine")
struct ProposalTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func proposal() throws -> Proposal {
        Proposal(
            id: "k7q2m9", jobID: "job-1", invocation: try Fixtures.invocation("deploy fraud v12"), requester: Fixtures.person("alice"),
            conversation: Conversation(platform: "test", channel: "ops"), request: "ship fraud v12", interpretedBy: "m",
            createdAt: start, lifetime: 600)
    }

    @Test func typedAnswersNeedAnID() throws {
        #expect(try Fixtures.parser.parse("run k7q2m9") == .builtin(.answer(.run, proposalID: "k7q2m9")))
        #expect(try Fixtures.parser.parse("@chatops cancel k7q2m9") == .builtin(.answer(.cancel, proposalID: "k7q2m9")))
        #expect(try Fixtures.parseError("run").kind == .missingArgument)
    }

    @Test func theRequestIsTheTextWithoutTheMentionOrRootCommand() {
        #expect(Fixtures.parser.request(in: "@chatops   roll back \"fraud\" please") == "roll back \"fraud\" please")
        #expect(Fixtures.parser.request(in: "@chatops: undo it") == "undo it")
        #expect(Fixtures.parser.request(in: "/mlops roll back fraud") == "roll back fraud")
    }

    @Test func onlyTheRequesterAnswersAndOnlyOnce() throws {
        var proposal = try proposal()
        guard case .refused(let message) = proposal.answer(.run, by: Fixtures.person("bob"), fingerprint: nil, jobID: "j2", now: start) else {
            Issue.record("someone else ran it")
            return
        }
        #expect(message.contains("Only alice"))
        #expect(proposal.answer(.run, by: Fixtures.person("alice"), fingerprint: proposal.fingerprint, jobID: "j3", now: start) == .run)
        #expect(proposal.state == .confirmed && proposal.confirmedByJob == "j3")
        #expect(
            proposal.answer(.run, by: Fixtures.person("alice"), fingerprint: nil, jobID: "j3", now: start) == .run,
            "a retried job finds its own confirmation")
        #expect(
            proposal.answer(.run, by: Fixtures.person("alice"), fingerprint: nil, jobID: "j4", now: start)
                == .refused("`deploy fraud v12 --env staging` was already started."))
        #expect(
            proposal.answer(.cancel, by: Fixtures.person("alice"), fingerprint: nil, jobID: "j5", now: start)
                == .refused("`deploy fraud v12 --env staging` was already started."))
    }

    @Test func aForeignFingerprintOrALateAnswerChangesNothing() throws {
        var proposal = try proposal()
        #expect(proposal.answer(.run, by: Fixtures.person("alice"), fingerprint: "0000", jobID: "j", now: start) != .run)
        #expect(proposal.state == .pending)
        #expect(
            proposal.answer(.run, by: Fixtures.person("alice"), fingerprint: nil, jobID: "j", now: start.addingTimeInterval(601))
                == .refused("This proposal expired; ask again."))
        #expect(proposal.state == .expired)
    }

    @Test func cancelEndsIt() throws {
        var proposal = try proposal()
        #expect(proposal.answer(.cancel, by: Fixtures.person("alice"), fingerprint: nil, jobID: "j", now: start) == .cancelled)
        #expect(proposal.answer(.run, by: Fixtures.person("alice"), fingerprint: nil, jobID: "k", now: start) != .run)
    }
}
