import ChatOpsCore
import Foundation

/// A summary may give no cause the data does not state. For a failed action every sentence counts
/// (a failure summary may only give the reasons present in the data); for a successful one, a causal
/// word (`because`, `due to` …) only where the data has one too, and then what follows it. The words that count are the content words: not
/// function words, not the words any summary of a command uses, not claims of success or failure,
/// and not numbers (the number check reads those). Each must occur in the data, by its stem.
enum CauseCheck {
    static let causalWords: Set<String> = ["because", "due", "caused", "owing", "reason", "reasons", "therefore", "hence"]
    /// Words after which a success summary tells why or what for (`after v12 regressed`, `for maintenance`,
    /// `so v12 was bad`): what follows them in the clause must all be in the data.
    static let connectives: Set<String> = ["after", "for", "so", "since", "following", "amid", "given", "triggered", "thanks"]

    /// Function words of English, which carry no claim.
    static let functionWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "so", "of", "to", "in", "on", "at", "by", "for", "from", "with", "as", "into", "onto", "than",
        "then", "this", "that", "these", "those", "it", "its", "it's", "there", "their", "they", "them", "we", "our", "you", "your", "he",
        "she", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can",
        "could", "should", "may", "might", "must", "shall", "not", "no", "never", "without", "also", "only", "all", "any", "some", "both",
        "each", "every", "more", "most", "less", "least", "very", "which", "who", "what", "when", "where", "while", "after", "before",
        "during", "about", "over", "under", "up", "down", "out", "off", "again", "now", "still", "yet", "just", "because", "due",
        "since", "there's", "here", "if", "one", "two", "three", "first", "second", "last", "new", "current", "currently", "other",
        "such", "same", "per", "via", "between", "within", "across", "back", "at", "least", "around", "approximately", "about",
        "nothing", "none", "nobody", "hour", "hours", "day", "days", "week", "weeks",
    ]

    /// Words any summary of an ML operations command uses, true of every command.
    static let commandWords: Set<String> = [
        "command", "commands", "result", "results", "run", "runs", "ran", "running", "execute", "executed", "execution", "action",
        "operation", "request", "requested", "attempt", "attempted", "tried", "try", "perform", "performed", "report", "reported",
        "reports", "returned", "return", "shows", "showed", "show", "says", "said", "indicates", "indicated", "data", "output",
        "summary", "model", "models", "version", "versions", "environment", "value", "values", "status", "total", "overall",
        "message", "following", "note", "please", "see", "time", "seconds", "second", "minutes", "minute", "hours", "ms", "currently",
        "using", "used", "use", "based", "is", "replica", "replicas", "backend", "system", "server", "change", "changed", "changes", "happened",
    ]

    /// - Returns: the first content word of a stated cause that the data does not contain, or the causal
    ///   word itself when the data states no cause.
    static func unsupported(in summary: String, evidence: SummaryEvidence) -> String? {
        if evidence.status == .failed {
            return SummaryText.words(in: summary).first { isContent($0) && !evidence.words.contains($0) }
        }
        for clause in SummaryText.clauses(in: summary) {
            if let cause = clause.firstIndex(where: causalWords.contains) {
                // Data that states no cause leaves a success summary none to give.
                guard evidence.words.words.contains(where: causalWords.contains) else { return clause[cause] }
                if let word = clause[(cause + 1)...].first(where: { isContent($0) && !evidence.words.contains($0) }) { return word }
            }
            if let connective = clause.firstIndex(where: connectives.contains),
                let word = clause[(connective + 1)...].first(where: { isContent($0) && !evidence.words.contains($0) })
            {
                return word
            }
        }
        return nil
    }

    /// How many content words outside the data a success summary may use: room to paraphrase
    /// (`serves`, `now`), none to tell a story the data does not (`a major update with new features`).
    static let unstatedAllowance = 2

    /// - Returns: a change a success summary reports that the outcome does not (the command aside), or the
    ///   content words it uses that the data does not hold, when there are more than `unstatedAllowance`;
    ///   nil otherwise, and for failures (whose every word `unsupported` checks).
    static func unstated(in summary: String, evidence: SummaryEvidence) -> String? {
        guard evidence.status == .succeeded else { return nil }
        // A change the outcome does not report (`promoted` where the alias already pointed there) is told
        // by no paraphrase; the command asked for it, which is no evidence that it was made.
        let words = SummaryText.words(in: summary)
        if let change = words.first(where: { PolarityCheck.changeVerbs.contains($0) && !evidence.outcomeWords.contains($0) }) {
            return change
        }
        // What a success claim says was done (`succeeded in replicating`) must be a verb the outcome uses,
        // not a noun of the same stem (`replicas`).
        for (index, word) in words.enumerated() where PolarityCheck.successWords.contains(word) {
            guard let verb = words[(index + 1)...].prefix(3).first(where: { $0.hasSuffix("ing") || $0.hasSuffix("ed") }) else { continue }
            if !verbForms(verb).contains(where: evidence.outcomeWords.words.contains) { return verb }
        }
        var seen: [String] = []
        for word in SummaryText.words(in: summary) where isContent(word) && !evidence.words.contains(word) && !seen.contains(word) {
            seen.append(word)
        }
        return seen.count > unstatedAllowance ? seen.joined(separator: ", ") : nil
    }

    /// The forms of a verb written as `-ing` or `-ed`: `replicating` → `replicate`, `replicated` …
    static func verbForms(_ word: String) -> Set<String> {
        let base = word.hasSuffix("ing") ? String(word.dropLast(3)) : String(word.dropLast(2))
        return [word, base, base + "e", base + "ed", base + "d", base + "ing", base + "s", base + "es"]
    }

    static func isContent(_ word: String) -> Bool {
        guard word.contains(where: \.isLetter), !word.contains(where: \.isNumber) else { return false }
        if functionWords.contains(word) || commandWords.contains(word) || causalWords.contains(word) { return false }
        // Environment names are the name check's to judge (`production` for `prod`).
        if NameGrounding.environments[word] != nil { return false }
        if PolarityCheck.failureWords.contains(word) || PolarityCheck.successWords.contains(word) || word.hasPrefix("fail") { return false }
        // Claims of a change made or not are the polarity check's to judge.
        if PolarityCheck.changeVerbs.contains(word) || PolarityCheck.changeBases.contains(word) || PolarityCheck.negatives.contains(word) {
            return false
        }
        return true
    }
}
