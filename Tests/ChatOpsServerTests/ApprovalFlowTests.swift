import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import Testing

@Suite("Approvals in the thread")
struct ApprovalFlowTests {
    @Test func prodDeployWaitsForAnotherLeadThenRunsOnce() async throws {
        let bot = try TestBot()
        let request = try await bot.say("/deploy fraud v12 --env prod", as: "alice")
        let approval = try #require(await bot.lastApprovalRequest())
        #expect(approval.title?.contains("deploy fraud v12 --env prod") == true)
        #expect(approval.buttons.map(\.kind) == [.approve, .reject])
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil, "nothing runs before approval")

        let approve = try #require(approval.buttons.first)
        let thread = request.replyConversation.thread!
        try await bot.click(approve, as: "alice", thread: thread)
        #expect(await bot.platform.replies.last?.tone == .error, "the requester's own click is refused")
        #expect(
            await bot.platform.replies.last?.text.contains("can't approve your own request") == true, "said first, though alice is no approver either"
        )
        try await bot.click(approve, as: "dave", thread: thread)
        #expect(await bot.platform.replies.last?.text.contains("ml-lead") == true, "an engineer is not an approver")
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)

        try await bot.click(approve, as: "bob", thread: thread, id: "bob-click")
        #expect(try await bot.revision(of: "fraud", env: "prod") == 1)
        let final = try #require(await bot.platform.replies.last)
        #expect(final.tone == .success)
        #expect(final.text.contains("Deployed fraud v12 to prod"))
        #expect(await bot.platform.posts.last?.conversation.thread == thread, "the result lands in the same thread")
        let running = await bot.platform.replies.filter { $0.text.contains("Running") }
        #expect(running.map(\.text) == ["Approved by bob. Running `deploy fraud v12 --env prod` …"], "one message says who approved and that it runs")

        // A retried delivery of the same click and a second click change nothing.
        try await bot.click(approve, as: "bob", thread: thread, id: "bob-click")
        try await bot.click(approve, as: "bob", thread: thread)
        try await bot.click(approve, as: "carol", thread: thread)
        #expect(try await bot.revision(of: "fraud", env: "prod") == 1, "approved commands run exactly once")
        #expect(await bot.platform.updates.contains { $0.reply.title?.hasPrefix("Approved") == true && $0.reply.buttons.isEmpty })
    }

    @Test func typedApproveInTheThreadVotesOnItsRequest() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v3 --env prod", as: "dave")
        try await bot.say("approve", as: "carol", thread: request.replyConversation.thread)
        #expect(try await bot.revision(of: "fraud", env: "prod") == 1)
    }

    /// Discord without the permission to start threads: the request stays in the command's thread,
    /// while a click on its message says it happened on that message.
    @Test func aClickOnTheRequestsOwnMessageCountsWhereNoThreadWasStartedFromIt() async throws {
        let bot = try TestBot()
        await bot.platform.stopStartingThreads()
        _ = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        let approve = try #require(await bot.lastApprovalRequest()?.buttons.first { $0.kind == .approve })
        let message = "m\(try #require(await bot.platform.posts.lastIndex { !$0.reply.buttons.isEmpty }))"
        try await bot.click(approve, as: "bob", thread: message, on: message)
        #expect(try await bot.revision(of: "fraud", env: "prod") == 1)
        // The same click elsewhere, not on the request's message, still does not count.
        let other = try TestBot()
        await other.platform.stopStartingThreads()
        _ = try await other.say("deploy fraud v12 --env prod", as: "alice")
        let button = try #require(await other.lastApprovalRequest()?.buttons.first { $0.kind == .approve })
        try await other.click(button, as: "bob", thread: "elsewhere", on: "m999")
        #expect(try await other.revision(of: "fraud", env: "prod") == nil)
    }

    @Test func aButtonForAnotherCommandIsRefused() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        let approval = try #require(await bot.lastApprovalRequest())
        let id = try #require(approval.buttons.first?.requestID)
        let forged = ButtonAction(kind: .approve, label: "Approve", requestID: id, fingerprint: String(repeating: "0", count: 64))
        try await bot.click(forged, as: "bob", thread: request.replyConversation.thread!)
        #expect(await bot.platform.replies.last?.text.contains("different command") == true)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
        let audit = try await bot.store.auditEvents()
        #expect(audit.contains { $0.kind == "approval.vote" && $0.details["result"]?.contains("fingerprintMismatch") == true })
    }

    @Test func rejectionEndsTheRequestAndReleasesTheLock() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        try await bot.say("reject \(try approvalID(bot)) not today", as: "bob", thread: request.replyConversation.thread)
        #expect(await bot.platform.replies.last?.text.contains("Rejected by bob: not today") == true)
        #expect(try await bot.store.lock(target: "fraud@prod") == nil)
        try await bot.say("approve \(try approvalID(bot))", as: "carol", thread: request.replyConversation.thread)
        #expect(await bot.platform.replies.last?.text.contains("already rejected") == true)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
    }

    @Test func expiryEndsTheRequestInItsThread() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        bot.clock.advance(by: 2 * 3600 + 1)
        try await bot.engine.expireDueApprovals()
        let last = try #require(await bot.platform.posts.last)
        #expect(last.reply.text.contains("expired"))
        #expect(last.conversation.thread == request.replyConversation.thread)
        #expect(try await bot.store.lock(target: "fraud@prod") == nil)
        try await bot.say("approve \(try approvalID(bot))", as: "bob", thread: request.replyConversation.thread)
        #expect(await bot.platform.replies.last?.text.contains("expired") == true)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
    }

    @Test func anApprovedRequestWhoseLockWasTakenMeanwhileDoesNotRun() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        let approve = try #require(await bot.lastApprovalRequest()?.buttons.first)
        // An admin frees the target and someone else takes it for their own deploy.
        try await bot.say("unlock fraud@prod", as: "carol")
        try await bot.say("deploy fraud v13 --env prod", as: "dave")
        try await bot.click(approve, as: "bob", thread: request.replyConversation.thread!)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil, "alice's deploy did not run beside dave's")
        #expect(await bot.platform.replies.last?.text.contains("now locked by dave") == true)
    }

    @Test func approvalsSurviveARestart() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        let id = try await approvalID(bot)
        // A second store on the same file is what a restarted process sees.
        let reopened = try SQLiteStore(path: bot.directory.appendingPathComponent("bot.sqlite").path)
        let stored = try #require(try await reopened.approval(id: id))
        #expect(stored.state == .pending)
        #expect(stored.conversation.thread == request.replyConversation.thread)
        #expect(stored.fingerprint == stored.invocation.fingerprint)
    }

    private func approvalID(_ bot: TestBot) async throws -> String {
        let approval = try #require(await bot.lastApprovalRequest())
        return String(try #require(approval.buttons.first?.requestID))
    }
}
