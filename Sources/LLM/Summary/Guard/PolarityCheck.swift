import ChatOpsCore
import Foundation

/// Whether a summary says the opposite of what happened: a success called a failure, or a failure
/// called a success or a completed change, or a failure not called one at all.
///
/// Read clause by clause (split at punctuation and at `and`, `but` …):
/// - Words that say "it failed" (`failed`, `error`, `timed out`, `refused` …) and words that say "it
///   worked" (`succeeded`, `completed`, `done` …) are claims, and so are `could not`, `cannot` and
///   `not able`.
/// - A negation earlier in the clause turns a claim around (`did not fail` says it worked, `was not
///   completed` says it failed), and so does a failure word before a success word (`failed to complete`).
/// - A change verb (`deployed`, `rolled back` …) is a claim of failure when negated (`was not deployed`),
///   and, for a failed action, a claim of success when reported as made (`was deployed`), unless the
///   data itself says so.
/// - The data's own words are no claims: `health degraded` where the data says `health Degraded`, or,
///   for a success, `was rejected` where a fact's whole value is `reject` (an eval's verdict).
/// - Measures are no claims: `error rate`, `3 failed requests`, `2 errors`, or a failure noun in a
///   clause with a number (`errors peaked at 1.8%`).
/// - A failed action's summary must say so: it needs a failure claim or a negative (`no`, `not`,
///   `missing`, `forbidden` …), or it reads as a success.
/// - A successful outcome whose headline opens with finding nothing (`No deployments yet`, `0 series`)
///   keeps a negative too, or it reads as one that found something.
enum PolarityCheck {
    enum Claim: Equatable { case failed, succeeded }

    static let failureWords: Set<String> = [
        "fail", "fails", "failed", "failing", "failure", "failures", "error", "errors", "errored", "erroneous",
        "unsuccessful", "unsuccessfully", "unable", "crash", "crashed", "crashes", "crashing", "broke", "broken",
        "abort", "aborted", "cannot", "can't", "couldn't", "problem", "problems", "wrong", "timed", "timeout",
        "unhealthy", "rejected", "refused", "denied", "stalled", "stuck", "unavailable", "degraded", "killed",
        "forbidden", "unauthorized",
    ]
    static let successWords: Set<String> = [
        "succeed", "succeeds", "succeeded", "success", "successful", "successfully", "complete", "completed", "completes",
        "completion", "finish", "finished", "done", "worked", "works", "passed", "smoothly", "flawlessly", "healthy",
    ]
    /// Failure words that name a thing counted, not a verdict, after a number (`2 errors`).
    static let countedNouns: Set<String> = ["error", "errors", "failure", "failures", "crashes", "problems", "timeouts"]
    /// Words that make a claim no claim: what follows is a measure, not a verdict.
    static let measures: Set<String> = [
        "rate", "rates", "ratio", "budget", "count", "counts", "percentage", "percent", "threshold", "metric", "metrics",
    ]
    static let negations: Set<String> = [
        "not", "no", "never", "without", "zero", "0", "none", "didn't", "wasn't", "weren't", "hasn't", "haven't", "isn't", "aren't",
        "doesn't", "don't", "won't", "nothing", "neither", "nor",
    ]
    /// Words that are failures by themselves and are not turned around by a negation before them.
    static let fixedFailures: Set<String> = ["cannot", "can't", "couldn't", "unable"]
    /// Words that make a failure summary say something went wrong, besides the failure words and negations.
    static let negatives: Set<String> = [
        "missing", "invalid", "lacks", "lacking", "absent", "exceeded", "instead", "stopped", "blocked", "halted", "cancelled", "canceled",
        "interrupted",
    ]
    /// Changes an action reports as made, for a failed action's summary; negated, in any form, a failure.
    static let changeVerbs: Set<String> = [
        "deployed", "scaled", "promoted", "restarted", "updated", "applied", "created", "released", "shipped", "upgraded",
        "downgraded", "reverted", "rolled", "evaluated", "registered", "transitioned",
    ]
    static let changeBases: Set<String> = [
        "deploy", "scale", "promote", "restart", "update", "apply", "create", "release", "ship", "upgrade", "downgrade", "revert", "roll",
        "evaluate", "register",
    ]
    static let changeAuxiliaries: Set<String> = ["was", "were", "has", "have", "been", "is", "are", "got", "now", "successfully"]

    /// - Returns: the first claim that contradicts the status, with the words that make it.
    static func contradiction(in summary: String, evidence: SummaryEvidence) -> String? {
        var saysItFailed = false
        for clause in SummaryText.clauses(in: summary) {
            for index in clause.indices {
                if evidence.status == .failed, negatives.contains(clause[index]) || negations.contains(clause[index]) { saysItFailed = true }
                guard let claim = claim(at: index, in: clause, evidence: evidence) else { continue }
                if claim == .failed { saysItFailed = true }
                // Repeating the data's own words (`health Degraded` in a successful sync's data) contradicts nothing.
                // So is naming, on a success, a state a fact reports (`was rejected` where `verdict: reject`).
                let echoesTheData =
                    (index > 0 && evidence.words.pairs.contains(clause[index - 1] + " " + clause[index]))
                    || (claim == .failed && evidence.status == .succeeded && evidence.states.contains(SummaryText.stem(clause[index])))
                if (claim == .failed) == (evidence.status == .succeeded), !echoesTheData {
                    return clause[max(0, index - 3)...index].joined(separator: " ")
                }
            }
        }
        if evidence.status == .failed, !saysItFailed { return "says nothing failed" }
        // A successful outcome that found nothing (`No sandbox deployments yet`, `0 series`) is not told as
        // one that found something (`fraud-model v1 is available`).
        let words = SummaryText.words(in: summary)
        if evidence.status == .succeeded, let first = evidence.headline.first, foundNothing.contains(first),
            !words.contains(where: foundNothing.contains)
        {
            return "drops the headline's \(first)"
        }
        return nil
    }

    /// Words that say an outcome found or changed nothing.
    static let foundNothing: Set<String> = ["no", "not", "none", "nothing", "never", "without", "0", "zero", "neither", "nor", "empty"]

    /// The claim the word at `index` of a clause makes, or nil.
    static func claim(at index: Int, in clause: [String], evidence: SummaryEvidence) -> Claim? {
        let word = clause[index]
        let next = index + 1 < clause.count ? clause[index + 1] : nil
        let before = clause[..<index]
        let negated = before.contains(where: negations.contains) || before.contains(where: fixedFailures.contains)
        if (word == "could" || word == "can") && next == "not" || word == "not" && next == "able" { return .failed }
        if changeVerbs.contains(word) || changeBases.contains(word) {
            if negated { return .failed }
            return evidence.status == .failed && isReportedChange(at: index, in: clause, evidence: evidence) ? .succeeded : nil
        }
        let isFailure = failureWords.contains(word) || word.hasPrefix("fail")
        guard isFailure || successWords.contains(word) else { return nil }
        if let next, measures.contains(next) { return nil }
        if isFailure, countedNouns.contains(word), clause.contains(where: { Double($0) != nil }) { return nil }
        if index > 0, Double(clause[index - 1]) != nil, clause[index - 1] != "0", countedNouns.contains(word) || next != nil { return nil }
        if fixedFailures.contains(word) { return .failed }
        if isFailure { return negated ? .succeeded : .failed }
        let afterAFailure = before.contains { failureWords.contains($0) || $0.hasPrefix("fail") }
        return negated || afterAFailure ? .failed : .succeeded
    }

    /// `was deployed`, `has been rolled back`, `successfully scaled`, or a clause opening with the verb,
    /// not said by the data itself.
    private static func isReportedChange(at index: Int, in clause: [String], evidence: SummaryEvidence) -> Bool {
        guard changeVerbs.contains(clause[index]), index == 0 || changeAuxiliaries.contains(clause[index - 1]) else { return false }
        let phrase = clause[index...].prefix(2).joined(separator: " ")
        return !evidence.words.containsPhrase(phrase) && !evidence.words.words.contains(clause[index])
    }
}
