import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import Testing

@Suite("Commands end to end in the engine")
struct CommandFlowTests {
    @Test func stagingDeployRunsAtOnceWithProgressAndSummary() async throws {
        let bot = try TestBot()
        try await bot.say("@chatops deploy fraud v2", as: "alice")
        #expect(try await bot.revision(of: "fraud", env: "staging") == 1)
        let replies = await bot.platform.replies
        #expect(replies.first?.tone == .pending, "a progress message comes first")
        #expect(replies.last?.footer?.contains("simulated") == true, "sandbox results are labelled")
        #expect(await bot.platform.updates.contains { $0.reply.text.contains("2/2 replicas ready") })
    }

    @Test func unknownCommandsAndBadArgumentsGetHelpfulReplies() async throws {
        let bot = try TestBot()
        try await bot.say("/deplyo fraud v2", as: "alice")
        try await bot.say("/deploy fraud v2 --env prdo", as: "alice")
        try await bot.say("/scale fraud 500", as: "alice")
        let texts = await bot.platform.texts()
        #expect(texts[0].contains("`deploy`"))
        #expect(texts[1].contains("prod"))
        #expect(texts[2].contains("at most 50"))
        #expect(await bot.platform.replies.allSatisfy { $0.tone == .error && $0.ephemeral })
        let audit = try await bot.store.auditEvents()
        #expect(audit.filter { $0.kind == "parse.rejected" }.count == 3)
    }

    @Test func deniedUsersAreToldAndAudited() async throws {
        let bot = try TestBot()
        try await bot.say("deploy fraud v2", as: "mallory")
        #expect(await bot.platform.replies.last?.text.contains("needs the role") == true)
        #expect(try await bot.revision(of: "fraud", env: "staging") == nil)
        let decision = try #require(try await bot.store.auditEvents().last { $0.kind == "decision" })
        #expect(decision.details["decision"] == "denied")
        #expect(decision.actor == "test:mallory")
    }

    @Test func helpShowsOnlyWhatThePersonMayRun() async throws {
        let bot = try TestBot()
        try await bot.say("help", as: "mallory")
        try await bot.say("help", as: "alice")
        let replies = await bot.platform.replies
        let strangerCommands = replies[0].table.dropFirst().map { $0[0] }
        let engineerCommands = replies[1].table.dropFirst().map { $0[0] }
        #expect(strangerCommands.contains { $0.contains("status") })
        #expect(!strangerCommands.contains { $0.contains("deploy") })
        #expect(engineerCommands.contains { $0.contains("deploy") })
    }

    @Test func aSecondDeployOfTheSameTargetIsToldWhoHoldsTheLock() async throws {
        let bot = try TestBot()
        try await bot.say("deploy fraud v12 --env prod", as: "alice")
        try await bot.say("deploy fraud v13 --env prod", as: "dave")
        let text = try #require(await bot.platform.replies.last?.text)
        #expect(text.contains("locked by alice"))
        #expect(text.contains("deploy fraud v12 --env prod"))
        #expect(await bot.platform.replies.last?.ephemeral == false, "the channel that saw the command sees why it did not run")
        // Another target is free.
        try await bot.say("deploy churn v1 --env prod", as: "dave")
        #expect(await bot.platform.replies.last?.buttons.isEmpty == false)
    }

    @Test func onlyTheHolderOrAnAdminMayUnlock() async throws {
        let bot = try TestBot()
        try await bot.say("deploy fraud v12 --env prod", as: "alice")
        try await bot.say("unlock fraud@prod", as: "dave")
        #expect(try await bot.store.lock(target: "fraud@prod") != nil)
        #expect(await bot.platform.replies.last?.tone == .error)
        try await bot.say("unlock fraud@prod", as: "carol")
        #expect(try await bot.store.lock(target: "fraud@prod") == nil)
    }

    @Test func aRetriedDeliveryRunsOnce() async throws {
        let bot = try TestBot()
        try await bot.say("deploy fraud v2", as: "alice", id: "delivery-1")
        try await bot.say("deploy fraud v2", as: "alice", id: "delivery-1")
        #expect(try await bot.revision(of: "fraud", env: "staging") == 1)
    }

    @Test func aJobProcessedTwiceAfterACrashChangesNothingTwice() async throws {
        let bot = try TestBot()
        let inbound = Inbound(
            kind: .message(text: "deploy fraud v2"), sender: TestBot.person("alice"), conversation: Conversation(platform: "test", channel: "ops"),
            replyThread: "m1", dedupeKey: "crash-1")
        let job = Job(id: "job-1", dedupeKey: "crash-1", payload: .inbound(inbound), state: .running, attempts: 1, createdAt: Date())
        try await bot.engine.process(job)
        let postsAfterFirst = await bot.platform.posts.count
        try await bot.engine.process(job)
        #expect(try await bot.revision(of: "fraud", env: "staging") == 1)
        #expect(await bot.platform.posts.count == postsAfterFirst, "replies are keyed by the job")
    }

    @Test func theAuditChainCoversEveryStep() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        try await bot.say("approve", as: "bob", thread: request.replyConversation.thread)
        let events = try await bot.store.auditEvents()
        let kinds = Set(events.map(\.kind))
        for kind in [
            "inbound", "decision", "lock.acquired", "approval.requested", "approval.vote", "action.start", "action.end", "reply", "lock.released",
        ] {
            #expect(kinds.contains(kind), "missing \(kind)")
        }
        #expect(AuditChain.verify(events) == .intact(count: events.count))
    }
}
