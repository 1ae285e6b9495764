import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import Testing

/// A prod deploy whose approval requires a promote verdict of exactly that version.
@Suite("Approvals gated on an evaluation")
struct GatedPromotionTests {
    /// The repository's commands, with `deploy` requiring a fresh promote on `holdout`.
    static func commands() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gated-\(RandomID.make())")
        try FileManager.default.copyItem(at: TestBot.repositoryRoot.appendingPathComponent("commands"), to: folder)
        let deploy = folder.appendingPathComponent("deploy.yaml")
        let text = try String(contentsOf: deploy, encoding: .utf8).replacingOccurrences(
            of: "  expires: 2h\n", with: "  expires: 2h\n  requires: {eval: {dataset: holdout, verdict: promote, max_age: 24h}}\n")
        try text.write(to: deploy, atomically: true, encoding: .utf8)
        return folder
    }

    static func evalRun(_ id: String, version: String, verdict: String, at date: Date) -> StoredEvalRun {
        StoredEvalRun(
            id: id, model: "fraud", version: version, dataset: "holdout", requestedBy: Principal(platform: "test", userID: "dave"),
            startedAt: date.addingTimeInterval(-60), finishedAt: date, verdict: verdict, reason: "\(verdict): the rule",
            cases: [CaseResult(caseID: "c1", checks: [CheckOutcome(kind: "contains", verdict: .pass)])])
    }

    /// The approval card as it is now: its newest edit, or as first posted.
    static func card(_ bot: TestBot) async -> Reply? {
        if let edited = await bot.platform.updates.last(where: { !$0.reply.buttons.isEmpty })?.reply { return edited }
        return await bot.lastApprovalRequest()
    }

    @Test func aProdDeployCannotBeApprovedUntilAPromoteOfThatVersionExists() async throws {
        let bot = try TestBot(commands: try Self.commands())
        try await bot.store.recordEvalRun(Self.evalRun("other-version", version: "v11", verdict: "promote", at: bot.clock.now))
        let request = try await bot.say("/deploy fraud v12 --env prod", as: "alice")
        let card = try #require(await bot.lastApprovalRequest())
        let evidence = try #require(card.fields.first { $0.name == "evaluation" }?.value)
        #expect(evidence.contains("no eval of fraud v12 on holdout yet") && evidence.contains("`eval fraud v12 --dataset holdout`"), "\(evidence)")
        let thread = request.replyConversation.thread!
        try await bot.click(try #require(card.buttons.first), as: "bob", thread: thread)
        #expect(await bot.platform.replies.last?.text.contains("can't be approved yet: no eval of fraud v12") == true)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil, "nothing ran")

        // A hold does not count either; the card changes with it, and the old card's button no longer approves.
        try await bot.store.recordEvalRun(Self.evalRun("held", version: "v12", verdict: "hold", at: bot.clock.now))
        try await bot.click(try #require(card.buttons.first), as: "bob", thread: thread)
        #expect(await bot.platform.replies.last?.text.contains("evaluation behind this request changed") == true)
        let heldCard = try #require(await Self.card(bot))
        #expect(heldCard.fields.first { $0.name == "evaluation" }?.value.contains("says hold, not promote") == true)
        try await bot.click(try #require(heldCard.buttons.first), as: "bob", thread: thread)
        #expect(await bot.platform.replies.last?.text.contains("says hold, not promote") == true)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)

        // A promote of exactly v12 arrives: the card shows it, and a vote on that card runs the deploy.
        bot.clock.advance(by: 60)
        var promoted = Self.evalRun("promoted", version: "v12", verdict: "promote", at: bot.clock.now)
        promoted.changes = "88% → 90% (+2.0 pp) against v11 on 50 paired cases; 1 pass → fail"
        try await bot.store.recordEvalRun(promoted)
        try await bot.click(try #require(heldCard.buttons.first), as: "bob", thread: thread)
        let promotedCard = try #require(await Self.card(bot))
        let shown = promotedCard.fields.first { $0.name == "evaluation" }?.value ?? ""
        #expect(shown.hasPrefix("promote") && shown.hasSuffix("; 88% → 90% (+2.0 pp) against v11 on 50 paired cases; 1 pass → fail"), "\(shown)")
        try await bot.click(try #require(promotedCard.buttons.first), as: "bob", thread: thread, id: "approve-promoted")
        let said = await bot.platform.replies.suffix(3).map(\.text)
        #expect(try await bot.revision(of: "fraud", env: "prod") == 1, "\(said)")
    }

    @Test func staleEvidenceIsRefused() async throws {
        let bot = try TestBot(commands: try Self.commands())
        try await bot.store.recordEvalRun(Self.evalRun("old", version: "v12", verdict: "promote", at: bot.clock.now.addingTimeInterval(-30 * 3600)))
        let request = try await bot.say("/deploy fraud v12 --env prod", as: "alice")
        let card = try #require(await bot.lastApprovalRequest())
        #expect(card.fields.first { $0.name == "evaluation" }?.value.contains("more than 24h") == true)
        try await bot.click(try #require(card.buttons.first), as: "bob", thread: request.replyConversation.thread!)
        #expect(await bot.platform.replies.last?.text.contains("more than 24h") == true)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
    }

    @Test func anEvalKeptAsV12IsEvidenceForADeployOf12() async throws {
        let bot = try TestBot(commands: try Self.commands())
        try await bot.store.recordEvalRun(Self.evalRun("through-mlflow", version: "v12", verdict: "promote", at: bot.clock.now))
        _ = try await bot.say("/deploy fraud 12 --env prod", as: "alice")
        let card = try #require(await bot.lastApprovalRequest())
        let shown = card.fields.first { $0.name == "evaluation" }?.value ?? ""
        #expect(shown.hasPrefix("promote") && shown.contains("(run through-mlflow)") && !shown.contains("Not enough"), "\(shown)")
    }
}
