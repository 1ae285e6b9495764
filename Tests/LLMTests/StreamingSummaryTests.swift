import ChatOpsCore
import Foundation
import LLM
import Logging
import Testing

@Suite("Streamed summaries")
struct StreamingSummaryTests {
    static let words = "fraud v12 scored 91.2% accuracy on 640 cases, with F1 0.87 and AUC 0.95 on the holdout set."
        .split(separator: " ").map { String($0) + " " }

    @Test func partialSummariesComeAtMostOncePerIntervalAsWholeGuardedWords() async throws {
        let model = PacedModel(pieces: Self.words, pause: .milliseconds(120))
        let summarizer = LLMSummarizer(model: model, prompts: Samples.prompts, streamInterval: .milliseconds(500), logger: Logger(label: "test"))
        let log = ProgressLog()
        let reply = await summarizer.summarize(Samples.outcome(), of: Samples.invocation, spec: Samples.spec) { await log.add($0) }
        let entries = await log.entries
        // 18 pieces × 120 ms ≥ 2.1 s: partials are shown, but never two within 500 ms.
        #expect(entries.count >= 2, "\(entries.count) partial summaries")
        for (earlier, later) in zip(entries, entries.dropFirst()) {
            #expect(later.at - earlier.at >= .milliseconds(450))
        }
        let evidence = summarizer.evidence(for: Samples.outcome(), of: Samples.invocation, spec: Samples.spec)
        for entry in entries {
            let note = try #require(entry.reply.modelNote)
            #expect(note.writing)
            #expect(Self.words.joined().hasPrefix(note.text), "only whole words: \(note.text)")
            #expect(SummaryGuard().check(note.text, against: evidence) == .accepted)
            #expect(entry.reply.text == reply.text && entry.reply.fields == reply.fields, "the facts stay while the summary grows")
        }
        #expect(reply.modelNote == ModelNote(text: Self.words.joined().trimmingCharacters(in: .whitespaces), model: "paced"))
        #expect(reply.text == Samples.outcome().headline)
    }

    @Test(arguments: [
        ["fraud v12 ", "scored ", "97.5% ", "accuracy ", "on ", "640 ", "cases ", "and ", "more ", "words ", "here."],
        ["All ", "good ", "<!channel> ", "please ", "approve ", "the ", "prod ", "deploy ", "now ", "thanks ", "team."],
        ["The ", "evaluation ", "of ", "fraud ", "v12 ", "failed ", "badly ", "on ", "the ", "holdout ", "set."],
    ])
    func aPartialSummaryTheGuardRefusesIsNeverShownAndTheTemplateIsPosted(start: [String]) async throws {
        let pieces = start + Array(repeating: "filler ", count: 40)
        let model = PacedModel(pieces: pieces, pause: .milliseconds(30))
        let summarizer = LLMSummarizer(model: model, prompts: Samples.prompts, streamInterval: .milliseconds(100), logger: Logger(label: "test"))
        let log = ProgressLog()
        let reply = await summarizer.summarize(Samples.outcome(), of: Samples.invocation, spec: Samples.spec) { await log.add($0) }
        #expect(reply == TemplateSummarizer().render(Samples.outcome(), of: Samples.invocation))
        for entry in await log.entries {
            let shown = entry.reply.modelNote?.text ?? ""
            #expect(!shown.contains("97.5") && !shown.contains("<!channel>") && !shown.contains("failed"), "\(shown)")
            #expect(entry.reply.text == reply.text && entry.reply.fields == reply.fields, "the facts are shown with every partial")
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(model.sent.value < pieces.count, "the stream stops at the first refusal, not at its end")
    }

    @Test func aStreamSlowerThanTheTimeoutEndsWithTheTemplate() async {
        // Six words come at once, then the model stalls past the timeout: what was shown is replaced.
        let model = PacedModel(pieces: Array(Self.words.prefix(6)), pause: .milliseconds(5), stall: .seconds(60))
        let summarizer = LLMSummarizer(
            model: model, prompts: Samples.prompts, timeout: .seconds(3), streamInterval: .zero, logger: Logger(label: "test"))
        let log = ProgressLog()
        let reply = await summarizer.summarize(Samples.outcome(), of: Samples.invocation, spec: Samples.spec) { await log.add($0) }
        #expect(await !log.entries.isEmpty, "parts were shown before the timeout")
        #expect(reply == TemplateSummarizer().render(Samples.outcome(), of: Samples.invocation), "then the facts alone replaced them")
    }

    @Test func withoutAStreamIntervalNothingPartialIsShown() async {
        let summarizer = LLMSummarizer(
            model: PacedModel(pieces: Self.words, pause: .milliseconds(10)), prompts: Samples.prompts, streamInterval: nil,
            logger: Logger(label: "test"))
        let log = ProgressLog()
        _ = await summarizer.summarize(Samples.outcome(), of: Samples.invocation, spec: Samples.spec) { await log.add($0) }
        #expect(await log.entries.isEmpty)
        #expect(!summarizer.streams)
    }
}
