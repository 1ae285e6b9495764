import ChatOpsCore
import Foundation

/// Reads a streamed summary and shows it as it grows: at most once per `interval`, only whole
/// words, and only text the guard accepts. A partial summary the guard refuses ends the stream
/// (the whole one would be refused too).
struct SummaryStream {
    let model: any ChatModel
    let interval: Duration
    /// The quoted data the guard checks against.
    let data: String
    /// The template reply whose text the partial summary replaces.
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
                let verdict = SummaryGuard.check(words, against: data)
                guard verdict == .accepted else { throw SummaryRefused(verdict: verdict) }
                var partial = template
                partial.text = words + " …"
                partial.footer = [template.footer, "\(model.name) is writing a summary"].compactMap { $0 }.joined(separator: " · ")
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
