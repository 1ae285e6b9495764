import ChatOpsCore
import Foundation

/// What a summary is checked against: the outcome's status, the text the model was given (already
/// redacted) with the command that ran, and the language the prompt was written in.
public struct SummaryEvidence: Sendable {
    public var status: Outcome.Status
    /// The data the model saw and the command's text: every number, name, quoted phrase and cause in
    /// a summary must be found here.
    public var data: String
    /// The prompt's language (`en`, `de` …), as `LanguageGuess` reads it; nil when it cannot tell.
    public var language: String?

    let words: GroundedWords
    /// The words of what happened alone, without the command's line: what was asked is no evidence
    /// that it was done.
    let outcomeWords: GroundedWords
    /// The words of the outcome's headline (`No sandbox deployments yet`).
    let headline: [String]
    /// The data's numbers, and its lines as words and numbers, read once for every check of every partial.
    let numbers: [NumberGrounding.Number]
    let tokenLines: [[String]]
    /// The stems of facts whose value is one word (`verdict: reject`): states a successful outcome
    /// reports, which its summary may name in any form (`was rejected`) without claiming a failure.
    let states: Set<String>

    /// - Parameters:
    ///   - status: whether the action succeeded.
    ///   - data: the text the model summarised, including the command.
    ///   - language: the prompt's language.
    public init(status: Outcome.Status, data: String, language: String? = "en") {
        self.status = status
        self.data = data
        self.language = language
        self.words = GroundedWords(data)
        self.numbers = NumberGrounding.numbers(in: data)
        self.tokenLines = data.split(whereSeparator: \.isNewline).map { NumberGrounding.tokens(String($0)) }
        self.headline = data.split(separator: "\n").first { $0.hasPrefix("headline: ") }.map { SummaryText.words(in: String($0.dropFirst(10))) } ?? []
        self.states = Self.factStates(in: data)
        self.outcomeWords = GroundedWords(
            data.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("command: ") }.joined(separator: "\n"))
    }
}

/// The words of the evidence, each also by its stem, for grounding checks.
struct GroundedWords: Sendable {
    let lowercasedText: String
    /// The text with each run of whitespace as one space, for phrase lookups.
    let collapsedText: String
    let words: Set<String>
    let stems: Set<String>
    /// Each two words that follow each other in the evidence, punctuation aside (`health degraded` for
    /// `health: Degraded`).
    let pairs: Set<String>

    init(_ text: String) {
        lowercasedText = text.lowercased()
        collapsedText = lowercasedText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let words = SummaryText.words(in: text)
        self.words = Set(words)
        self.stems = Set(words.map(SummaryText.stem))
        self.pairs = Set(zip(words, words.dropFirst()).map { "\($0) \($1)" })
    }

    /// Whether the word occurs in the evidence, as written or by its stem (`deployment` for `deploy`).
    func contains(_ word: String) -> Bool {
        let word = word.lowercased()
        return words.contains(word) || stems.contains(SummaryText.stem(word))
    }

    /// Whether the name occurs in the evidence as a whole token, ignoring case: `v1` is not found in `v12`.
    func containsName(_ name: String) -> Bool {
        let name = name.lowercased()
        var searchRange = lowercasedText.startIndex..<lowercasedText.endIndex
        while let found = lowercasedText.range(of: name, range: searchRange) {
            let before = found.lowerBound == lowercasedText.startIndex ? nil : lowercasedText[lowercasedText.index(before: found.lowerBound)]
            let after = found.upperBound == lowercasedText.endIndex ? nil : lowercasedText[found.upperBound]
            let isWordCharacter = { (character: Character?) in character.map { $0.isLetter || $0.isNumber } ?? false }
            if !isWordCharacter(before) && !isWordCharacter(after) { return true }
            searchRange = found.upperBound..<lowercasedText.endIndex
        }
        return false
    }

    /// Whether the data has a line or sentence naming `first` and, after it, `second`, each as a whole token
    /// (`from 2 to 5`, `v12 … (was v11)` read backwards does not count).
    func containsInOrder(_ first: String, _ second: String) -> Bool {
        for line in lowercasedText.split(whereSeparator: \.isNewline) {
            let tokens = line.split { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }.map {
                String($0).trimmingCharacters(in: CharacterSet(charactersIn: "."))
            }
            if let start = tokens.firstIndex(of: first), tokens[(start + 1)...].contains(second) { return true }
        }
        return false
    }

    /// Whether the phrase occurs in the evidence, ignoring case and runs of whitespace.
    func containsPhrase(_ phrase: String) -> Bool {
        collapsedText.contains(phrase.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }

}

extension SummaryEvidence {
    /// Fact lines only: those between the headline and the first table, series or log line, without
    /// the outcome's own `status:` and the command.
    static func factStates(in data: String) -> Set<String> {
        var states: Set<String> = []
        for line in data.split(whereSeparator: \.isNewline).dropFirst(2) {
            if line.hasPrefix("log:") || line.contains(" | ") { break }
            guard !line.hasPrefix("command: "), let colon = line.range(of: ": ") else { continue }
            let value = SummaryText.words(in: String(line[colon.upperBound...]))
            if value.count == 1, value[0].allSatisfy(\.isLetter) { states.insert(SummaryText.stem(value[0])) }
        }
        return states
    }
}
