import ChatOpsCore
import Foundation

/// Whether a summary says the opposite of what happened: a success called a failure, or a failure
/// called a success or a completed change.
///
/// Words that say "it failed" (`failed`, `error`, `unable` …) and words that say "it worked"
/// (`succeeded`, `completed`, `done` …) are claims, and so are `could not`, `cannot` and `not able`; a negation up to three words before a claim
/// turns it around (`did not fail` says it worked, `was not completed` says it failed). Words that
/// measure rather than judge (`error rate`, `failure budget`, `3 errors`) are not claims. For a
/// failed action, a change reported as made (`was deployed`, `has been rolled back`) counts as
/// success unless the data itself says it so.
enum PolarityCheck {
    enum Claim: Equatable { case failed, succeeded }

    static let failureWords: Set<String> = [
        "fail", "fails", "failed", "failing", "failure", "failures", "error", "errors", "errored", "erroneous",
        "unsuccessful", "unsuccessfully", "unable", "crash", "crashed", "crashes", "crashing", "broke", "broken",
        "abort", "aborted", "cannot", "can't", "couldn't", "problem", "problems", "wrong",
    ]
    static let successWords: Set<String> = [
        "succeed", "succeeds", "succeeded", "success", "successful", "successfully", "complete", "completed", "completes",
        "completion", "finish", "finished", "done", "worked", "works", "passed", "smoothly", "flawlessly", "healthy",
    ]
    /// Words that make a claim no claim: what follows is a measure, not a verdict.
    static let measures: Set<String> = ["rate", "rates", "ratio", "budget", "count", "counts", "percentage", "percent", "threshold", "metric", "metrics"]
    static let negations: Set<String> = [
        "not", "no", "never", "without", "zero", "0", "none", "didn't", "wasn't", "weren't", "hasn't", "haven't", "isn't", "aren't",
        "doesn't", "don't", "won't", "nothing", "neither", "nor",
    ]
    /// Words that are failures by themselves and are not turned around by a negation before them.
    static let fixedFailures: Set<String> = ["cannot", "can't", "couldn't", "unable"]
    /// Changes an action reports as made, for a failed action's summary.
    static let changeVerbs: Set<String> = [
        "deployed", "scaled", "promoted", "restarted", "updated", "applied", "created", "released", "shipped", "upgraded",
        "downgraded", "reverted", "rolled", "evaluated", "registered", "transitioned",
    ]
    static let changeAuxiliaries: Set<String> = ["was", "were", "has", "have", "been", "is", "are", "got", "now", "successfully"]

    /// - Returns: the first claim that contradicts the status, with the words that make it.
    static func contradiction(in summary: String, evidence: SummaryEvidence) -> String? {
        for sentence in SummaryText.sentences(in: summary) {
            let words = SummaryText.words(in: sentence)
            for index in words.indices {
                guard let claim = claim(at: index, in: words, evidence: evidence) else { continue }
                let contradicts = (claim == .failed) == (evidence.status == .succeeded)
                if contradicts { return words[max(0, index - 3)...index].joined(separator: " ") }
            }
        }
        return nil
    }

    /// The claim the word at `index` makes, after negation, or nil.
    static func claim(at index: Int, in words: [String], evidence: SummaryEvidence) -> Claim? {
        let word = words[index]
        let next = index + 1 < words.count ? words[index + 1] : ""
        if (word == "could" || word == "can") && next == "not" || word == "not" && next == "able" { return .failed }
        var claim: Claim
        if failureWords.contains(word) || word.hasPrefix("fail") {
            claim = .failed
        } else if successWords.contains(word) {
            claim = .succeeded
        } else if evidence.status == .failed, changeVerbs.contains(word), isReportedChange(at: index, in: words, evidence: evidence) {
            return .succeeded
        } else {
            return nil
        }
        if measures.contains(next) { return nil }
        if index > 0, Double(words[index - 1]) != nil, words[index - 1] != "0" { return nil }
        if fixedFailures.contains(word) { return .failed }
        let before = words[max(0, index - 3)..<index]
        if before.contains(where: negations.contains) || before.contains(where: fixedFailures.contains) {
            claim = claim == .failed ? .succeeded : .failed
        }
        return claim
    }

    /// `was deployed`, `has been rolled back`, `successfully scaled`, or a sentence opening with the verb,
    /// not negated and not said by the data itself.
    private static func isReportedChange(at index: Int, in words: [String], evidence: SummaryEvidence) -> Bool {
        let before = words[max(0, index - 3)..<index]
        guard index == 0 || before.last.map(changeAuxiliaries.contains) == true else { return false }
        if before.contains(where: negations.contains) || before.contains(where: fixedFailures.contains) { return false }
        let phrase = words[index...].prefix(2).joined(separator: " ")
        return !evidence.words.containsPhrase(phrase) && !evidence.words.words.contains(words[index])
    }
}
