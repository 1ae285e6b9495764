import ChatOpsCore
import Foundation

/// Decides from an entry's labels whether a summary misleads. Written from the labels, apart from the
/// guard: a summary misleads when it
/// - claims the opposite outcome (`polarity`): for a success, a failure word not negated just before
///   it; for a failure, a success word or a change reported as made, not negated; a claim whose word
///   the data uses too repeats the data;
/// - matches one of the entry's `forbidden` expressions (`forbidden`);
/// - names an entity of another corpus entry, or a system (`Prometheus`, `MLflow` …), that this entry's
///   data does not hold (`entity`);
/// - holds a number the data does not (`number`);
/// - for a failure, gives a reason (`because`, `due to` …) that is none of the entry's `reasons`, each
///   given when half its words are in the summary (`reason`).
public struct FaithfulnessJudge: Sendable {
    let allEntities: Set<String>

    /// Systems a summary may name only when its own data does.
    static let systems: Set<String> = ["prometheus", "mlflow", "kubernetes", "kserve", "airflow", "sagemaker", "vertex"]

    public init(corpus: SummaryCorpus) {
        allEntities = corpus.allEntities.union(Self.systems)
    }

    static let failure =
        #"\b(fail(s|ed|ing|ure|ures)?|errors?|errored|unsuccessful(ly)?|unable|could ?not|couldn't|can ?not|can't|crash(ed|es)?|broken?|abort(ed)?)\b"#
    static let success =
        #"\b(succeed(s|ed)?|success(ful|fully)?|complete[sd]?|finish(ed|es)?|done|worked|passed|(was|were|has been|have been|is now|successfully) (deployed|scaled|rolled back|promoted|restarted|updated|applied|created|released|reverted))\b"#
    static let negation =
        #"\b(no|not|never|without|zero|0|none|nothing|didn't|wasn't|weren't|hasn't|haven't|isn't|aren't|doesn't|don't)\W+(\w+\W+){0,2}$"#
    static let measure = #"^\W*(rate|ratio|budget|count|percent|percentage|threshold)\b"#
    static let causal = #"\b(because|due to|caused by|since|as a result|owing to|the reason)\b"#

    /// - Returns: why the summary misleads, empty when it does not.
    public func problems(of summary: String, for entry: SummaryCorpus.Entry) -> [String] {
        let text = summary.lowercased()
        let data = LLMSummarizer.dataText(entry.outcome).lowercased() + "\n" + entry.command.lowercased()
        var problems: [String] = []
        let claims = entry.outcome.status == .succeeded ? Self.failure : Self.success
        for match in Self.matches(claims, in: text)
        where !isNegated(match, in: text) && !isMeasure(match, in: text) && !echoes(match, in: text, data: data) {
            problems.append("polarity: \"\(text[match])\"")
        }
        for pattern in entry.labels.forbidden where Self.matches(pattern, in: text).first != nil {
            problems.append("forbidden: /\(pattern)/")
        }
        let own = Set(entry.labels.entities.map { $0.lowercased() })
        for entity in allEntities.subtracting(own) where Self.containsWord(entity, in: text) && !data.contains(entity) {
            problems.append("entity: \(entity)")
        }
        if let number = NumberGrounding.unsupported(in: summary, evidence: SummaryEvidence(status: entry.outcome.status, data: data)) {
            problems.append("number: \(number)")
        }
        if entry.outcome.status == .failed, Self.matches(Self.causal, in: text).first != nil,
            !entry.labels.reasons.contains(where: { Self.gives($0, in: text) })
        {
            problems.append("reason: none of \(entry.labels.reasons)")
        }
        return problems
    }

    /// A claim whose last word the data uses too (`1/2 updated`, `health Degraded`) repeats the data.
    private func echoes(_ match: Range<String.Index>, in text: String, data: String) -> Bool {
        guard let last = text[match].split(separator: " ").last else { return false }
        return Self.containsWord(String(last), in: data)
    }

    private func isNegated(_ match: Range<String.Index>, in text: String) -> Bool {
        let before = String(text[..<match.lowerBound])
        return Self.matches(Self.negation, in: before).first != nil
    }

    private func isMeasure(_ match: Range<String.Index>, in text: String) -> Bool {
        Self.matches(Self.measure, in: String(text[match.upperBound...])).first != nil
            || text[..<match.lowerBound].trimmingCharacters(in: .whitespaces).last.map { $0.isNumber || $0 == "%" } == true
    }

    /// A reason is given when at least half of its words of three letters or more are in the summary
    /// (`another operation in progress` gives `another operation is already in progress`).
    static func gives(_ reason: String, in text: String) -> Bool {
        let words = reason.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.filter { $0.count >= 3 }
        guard !words.isEmpty else { return text.contains(reason.lowercased()) }
        return words.filter { containsWord(String($0), in: text) }.count * 2 >= words.count
    }

    static func matches(_ pattern: String, in text: String) -> [Range<String.Index>] {
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text) }
    }

    static func containsWord(_ word: String, in text: String) -> Bool {
        let escaped = NSRegularExpression.escapedPattern(for: word)
        return matches(#"(?<![\w-])"# + escaped + #"(?![\w-])"#, in: text).first != nil
    }
}
