import ChatOpsCore
import Foundation

/// A summary may give no cause the data does not state. For a failed action every sentence counts
/// (a failure summary may only give the reasons present in the data); for a successful one, what
/// follows a causal word (`because`, `due to` …). The words that count are the content words: not
/// function words, not the words any summary of a command uses, not claims of success or failure,
/// and not numbers (the number check reads those). Each must occur in the data, by its stem.
enum CauseCheck {
    static let causalWords: Set<String> = ["because", "due", "caused", "since", "owing", "thanks", "reason", "reasons", "therefore", "hence", "result"]

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
    ]

    /// Words any summary of an ML operations command uses, true of every command.
    static let commandWords: Set<String> = [
        "command", "commands", "result", "results", "run", "runs", "ran", "running", "execute", "executed", "execution", "action",
        "operation", "request", "requested", "attempt", "attempted", "tried", "try", "perform", "performed", "report", "reported",
        "reports", "returned", "return", "shows", "showed", "show", "says", "said", "indicates", "indicated", "data", "output",
        "summary", "model", "models", "version", "versions", "environment", "value", "values", "status", "total", "overall",
        "message", "following", "note", "please", "see", "time", "seconds", "second", "minutes", "minute", "hours", "ms", "currently",
        "set", "now", "change", "changed", "using", "used", "use", "based", "reached", "reach", "remains", "remained", "stays", "stayed",
        "is", "went", "go", "got", "get", "make", "made", "ready", "replica", "replicas", "backend", "system", "server",
    ]

    /// - Returns: the first content word of a stated cause that the data does not contain.
    static func unsupported(in summary: String, evidence: SummaryEvidence) -> String? {
        for sentence in SummaryText.sentences(in: summary) {
            let words = SummaryText.words(in: sentence)
            let checked: ArraySlice<String>
            if evidence.status == .failed {
                checked = words[...]
            } else if let cause = words.firstIndex(where: causalWords.contains) {
                checked = words[(cause + 1)...]
            } else {
                continue
            }
            for word in checked where isContent(word) && !evidence.words.contains(word) {
                return word
            }
        }
        return nil
    }

    /// How many content words outside the data a success summary may use: room to paraphrase
    /// (`serves`, `now`), none to tell a story the data does not (`a major update with new features`).
    static let unstatedAllowance = 2

    /// - Returns: the content words of a success summary that the data does not hold, when there are more
    ///   than `unstatedAllowance`; nil otherwise, and for failures (whose every word `unsupported` checks).
    static func unstated(in summary: String, evidence: SummaryEvidence) -> String? {
        guard evidence.status == .succeeded else { return nil }
        var seen: [String] = []
        for word in SummaryText.words(in: summary) where isContent(word) && !evidence.words.contains(word) && !seen.contains(word) {
            seen.append(word)
        }
        return seen.count > unstatedAllowance ? seen.joined(separator: ", ") : nil
    }

    static func isContent(_ word: String) -> Bool {
        guard word.contains(where: \.isLetter), !word.contains(where: \.isNumber) else { return false }
        if functionWords.contains(word) || commandWords.contains(word) || causalWords.contains(word) { return false }
        // Environment names are the name check's to judge (`production` for `prod`).
        if NameGrounding.environments[word] != nil { return false }
        if PolarityCheck.failureWords.contains(word) || PolarityCheck.successWords.contains(word) || word.hasPrefix("fail") { return false }
        return true
    }
}
