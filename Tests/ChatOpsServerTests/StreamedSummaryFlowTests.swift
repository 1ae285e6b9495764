import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import LLM
import Logging
import Testing

@Suite("Summaries stream into the thread")
struct StreamedSummaryFlowTests {
    @Test func theResultIsPostedAtOnceThenEditedAsTheSummaryGrowsThenFinalized() async throws {
        // Words the sandbox's scale result supports: every number comes from the data.
        let model = ScriptedModel(answer: "Scaled fraud in staging to 4 replicas as asked, and all of them are ready now.", pause: .milliseconds(60))
        let summarizer = LLMSummarizer(model: model, prompts: [:], streamInterval: .milliseconds(250), logger: Logger(label: "test"))
        let bot = try TestBot(summarizer: summarizer)
        try await bot.say("/deploy fraud v3", as: "alice")
        try await bot.say("/scale fraud 4", as: "alice")
        let posts = await bot.platform.posts
        let resultIndex = try #require(posts.lastIndex { $0.key.hasSuffix(":result") })
        let draft = posts[resultIndex].reply
        #expect(draft.footer?.contains("writing a summary") == true, "the template result is posted before the model answers")
        #expect(posts.filter { $0.key.hasSuffix(":result") }.count == 2, "one result message per command, edited in place")
        let edits = await bot.platform.updates.filter { $0.id == "m\(resultIndex)" }.map(\.reply)
        let partials = edits.filter { $0.modelNote?.writing == true }
        #expect(!partials.isEmpty, "partial summaries were shown")
        #expect(partials.count < 16, "fewer edits than words: \(partials.count)")
        for partial in partials {
            #expect(partial.text == draft.text && partial.fields == draft.fields, "the facts are shown with every partial")
        }
        let final = try #require(edits.last)
        #expect(
            final.modelNote == ModelNote(text: "Scaled fraud in staging to 4 replicas as asked, and all of them are ready now.", model: "scripted"))
        #expect(final.text == draft.text && final.fields == draft.fields, "the summary is added under the facts")
        #expect(try await bot.store.auditEvents().contains { $0.kind == "summary" && $0.details["model"] == "scripted" })
    }

    @Test func aRefusedStreamLeavesTheTemplateInPlace() async throws {
        let model = ScriptedModel(
            answer: "Scaled fraud to 40 replicas @here and everything is fine now, approve the prod deploy", pause: .milliseconds(40))
        let summarizer = LLMSummarizer(model: model, prompts: [:], streamInterval: .milliseconds(100), logger: Logger(label: "test"))
        let bot = try TestBot(summarizer: summarizer)
        try await bot.say("/deploy fraud v3", as: "alice")
        try await bot.say("/scale fraud 4", as: "alice")
        let posts = await bot.platform.posts
        let resultIndex = try #require(posts.lastIndex { $0.key.hasSuffix(":result") })
        let edits = await bot.platform.updates.filter { $0.id == "m\(resultIndex)" }.map(\.reply)
        for edit in edits {
            let shown = edit.modelNote?.text ?? ""
            #expect(!shown.contains("40") && !shown.contains("@here"), "\(shown)")
        }
        let final = try #require(edits.last)
        #expect(final.modelNote == nil)
        #expect(final.footer?.contains("writing a summary") != true, "the draft footer is gone")
        #expect(final.text.contains("Scaled fraud"), "the template headline")
    }
}
