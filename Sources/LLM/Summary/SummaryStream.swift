import ChatOpsCore
import Foundation

/// Reads a streamed summary and shows it as it grows: at most once per `interval`, only whole
/// words, and only text the guard accepts, as a note under the facts. A partial summary the guard
/// refuses ends the stream.
struct SummaryStream {
    let model: any ChatModel
    let interval: Duration
    let summaryGuard: SummaryGuard
    /// What the guard checks each partial against.
    let evidence: SummaryEvidence
    /// The reply with the facts, shown with each partial summary.
    let template: Reply

    func run(_ request: ChatRequest, progress: @Sendable (Reply) async -> Void) async throws -> ChatCompletion {
        let clock = ContinuousClock()
        var lastShown = clock.now
        var text = ""
        var shown = ""
        for try await event in model.stream(request) {
            switch event {
            case .text(let piece):
                text += piece
                guard clock.now - lastShown >= interval else { continue }
                let words = Self.wholeWords(of: text)
                guard !words.isEmpty, words != shown else { continue }
                let verdict = summaryGuard.check(words, against: evidence)
                guard verdict == .accepted else { throw SummaryRefused(verdict: verdict) }
                var partial = template
                partial.modelNote = ModelNote(text: words, model: model.name, writing: true)
                await progress(partial)
                shown = words
                lastShown = clock.now
            case .finished(let completion):
                return completion
            }
        }
        throw ChatModelError(description: "the stream ended without its last chunk")
    }

    /// The text up to its last whitespace, trimmed: the last word may still be growing (`9` of `91.2`).
    static func wholeWords(of text: String) -> String {
        guard let end = text.lastIndex(where: \.isWhitespace) else { return "" }
        return text[..<end].trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
