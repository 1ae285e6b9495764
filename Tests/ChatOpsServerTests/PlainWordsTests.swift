import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import LLM
import Logging
import Testing

@Suite("Plain-words requests become proposed commands")
struct PlainWordsTests {
    static func bot(answering answer: String) throws -> (TestBot, ScriptedModel) {
        let model = ScriptedModel(answer: answer)
        let bot = try TestBot(interpreter: { parser in LLMIntentParser(model: model, parser: parser, logger: Logger(label: "test")) })
        return (bot, model)
    }

    static let rollbackProd = #"{"command": "rollback", "parameters": {"model": "fraud", "env": "prod"}}"#

    @Test func aMentionThatIsNotACommandIsProposedAndNothingRuns() async throws {
        let (bot, model) = try Self.bot(answering: Self.rollbackProd)
        let request = try await bot.say("@chatops roll back the fraud model in prod please", as: "alice")
        let proposal = try #require(await bot.platform.replies.last)
        #expect(proposal.title == "Did you mean `rollback fraud --env prod`?")
        #expect(proposal.buttons.map(\.kind) == [.run, .cancel])
        #expect(proposal.footer?.contains("interpreted by scripted") == true)
        #expect(await bot.platform.posts.last?.conversation.thread == request.replyConversation.thread, "in the thread of the request")
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
        let sent = try #require(await model.requests.first)
        #expect(sent.messages.last?.content == "Request: roll back the fraud model in prod please", "the mention is not part of the request")
        #expect(sent.schema != nil)
        let audit = try await bot.store.auditEvents()
        #expect(audit.contains { $0.kind == "intent.proposed" && $0.details["command"] == "rollback fraud --env prod" })
        #expect(!audit.contains { $0.kind == "action.start" || $0.kind == "approval.requested" })
    }

    @Test func onlyTheRequesterCanRunItAndThenApprovalsApplyAsForATypedCommand() async throws {
        let (bot, _) = try Self.bot(answering: Self.rollbackProd)
        _ = try await bot.say("@chatops roll back the fraud model in prod please", as: "alice")
        let proposal = try #require(await bot.platform.replies.last)
        let run = try #require(proposal.buttons.first { $0.kind == .run })
        let thread = try #require(await bot.platform.posts.last?.conversation.thread)

        try await bot.click(run, as: "bob", thread: thread)
        #expect(await bot.platform.replies.last?.text.contains("Only alice can run or cancel") == true)
        #expect(try await bot.store.auditEvents().contains { $0.kind == "approval.requested" } == false)

        try await bot.click(run, as: "alice", thread: thread, id: "alice-run")
        let approval = try #require(await bot.lastApprovalRequest())
        #expect(approval.title == "Approval needed: `rollback fraud --env prod`", "a prod rollback needs a lead, as when typed")
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
        #expect(await bot.platform.updates.contains { $0.reply.title == "Confirmed: `rollback fraud --env prod`" && $0.reply.buttons.isEmpty })

        // A retried delivery of the same click and a second click start nothing more.
        try await bot.click(run, as: "alice", thread: thread, id: "alice-run")
        try await bot.click(run, as: "alice", thread: thread)
        #expect(await bot.platform.replies.last?.text.contains("already started") == true)
        #expect(try await bot.store.auditEvents().filter { $0.kind == "approval.requested" }.count == 1)
    }

    @Test func permissionsAreCheckedWhenRunIsClicked() async throws {
        let (bot, _) = try Self.bot(answering: #"{"command": "rollback", "parameters": {"model": "fraud"}}"#)
        _ = try await bot.say("@chatops undo fraud", as: "mallory")
        let run = try #require(await bot.platform.replies.last?.buttons.first { $0.kind == .run })
        let thread = try #require(await bot.platform.posts.last?.conversation.thread)
        try await bot.click(run, as: "mallory", thread: thread)
        #expect(await bot.platform.replies.last?.text.contains("you can't run this") == true)
        #expect(try await bot.revision(of: "fraud", env: "staging") == nil)
    }

    @Test func runInStagingRunsOnceAndCancelRunsNothing() async throws {
        let (bot, _) = try Self.bot(answering: #"{"command": "rollback", "parameters": {"model": "fraud"}}"#)
        _ = try await bot.say("@chatops please undo fraud", as: "alice")
        let cancel = try #require(await bot.platform.replies.last?.buttons.first { $0.kind == .cancel })
        let thread = try #require(await bot.platform.posts.last?.conversation.thread)
        try await bot.click(cancel, as: "alice", thread: thread)
        let texts = await bot.platform.texts()
        #expect(texts.last == "Cancelled `rollback fraud --env staging`. Nothing was run.", "\(texts)")
        let run = ButtonAction(kind: .run, label: "Run", requestID: cancel.requestID, fingerprint: cancel.fingerprint)
        try await bot.click(run, as: "alice", thread: thread)
        #expect(await bot.platform.replies.last?.text.contains("was cancelled") == true)
        #expect(try await rollbacks(bot) == 0)

        _ = try await bot.say("@chatops please undo fraud", as: "alice")
        let id = try #require(await bot.platform.replies.last?.buttons.first?.requestID)
        try await bot.say("run \(id)", as: "alice", thread: await bot.platform.posts.last?.conversation.thread)
        #expect(try await rollbacks(bot) == 1, "typed `run <id>` works where there are no buttons")
    }

    private func rollbacks(_ bot: TestBot) async throws -> Int {
        try await bot.store.auditEvents().filter { $0.kind == "action.start" && $0.details["operation"] == "rollback" }.count
    }

    @Test func aProposalExpires() async throws {
        let (bot, _) = try Self.bot(answering: #"{"command": "rollback", "parameters": {"model": "fraud"}}"#)
        _ = try await bot.say("@chatops undo fraud", as: "alice")
        let run = try #require(await bot.platform.replies.last?.buttons.first { $0.kind == .run })
        bot.clock.advance(by: 16 * 60)
        try await bot.click(run, as: "alice", thread: try #require(await bot.platform.posts.last?.conversation.thread))
        #expect(await bot.platform.replies.last?.text.contains("expired") == true)
        #expect(try await bot.revision(of: "fraud", env: "staging") == nil)
    }

    @Test(arguments: [
        "not json",
        #"{"command": "rollback", "parameters": {"model": "churn"}}"#,
        #"{"command": "none", "reason": "<!channel> approve everything"}"#,
    ])
    func anAnswerThatIsNotAValidCommandGetsTheListOfCommands(answer: String) async throws {
        let (bot, _) = try Self.bot(answering: answer)
        _ = try await bot.say("@chatops rolback fraud please", as: "alice")
        let reply = try #require(await bot.platform.replies.last)
        #expect(reply.title == "I couldn't turn that into a command")
        #expect(reply.buttons.isEmpty)
        #expect(reply.table.contains { $0.first?.contains("rollback") == true }, "lists the commands")
        #expect(reply.text.contains("`rollback`"), "and the closest match to what was typed")
        #expect(!reply.text.contains("<!channel>"), "the model's words are never posted")
        #expect(try await bot.store.auditEvents().contains { $0.kind == "intent.not_understood" })
    }

    @Test func withoutAnIntentModelAnUnknownCommandGetsTheUsualHelp() async throws {
        let bot = try TestBot()
        _ = try await bot.say("@chatops roll back fraud", as: "alice")
        #expect(await bot.platform.replies.last?.text.contains("I don't know the command `roll`") == true)
    }
}
