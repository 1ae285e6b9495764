import ChatOpsCore
import Foundation

/// Names in a summary must occur in the data: identifiers (`fraud-model`, `v12`, `kserve-system`,
/// `E503`, `models/fraud`), capitalised abbreviations (`OOM`, `CUDA`), environment names (`prod`,
/// `staging` …) and quoted phrases. A model that names another version, environment or error than the
/// data's has mixed up what happened.
enum NameGrounding {
    /// Letters and digits joined by `-`, `_`, `.`, `/` or `:`, words mixing letters and digits, and
    /// words with capitals inside (`OOMKilled`, `CrashLoopBackOff`).
    static let identifier = try! NSRegularExpression(
        pattern:
            #"\b[A-Za-z0-9]+(?:[-_./:][A-Za-z0-9]+)+\b|\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{2,}\b|\b(?=[A-Za-z]*[a-z])[A-Za-z]+[A-Z][A-Za-z]*\b"#
    )
    static let abbreviation = try! NSRegularExpression(pattern: #"\b[A-Z][A-Z0-9]{1,}\b"#)
    static let quoted = try! NSRegularExpression(pattern: #"["“”]([^"“”]{2,})["“”]|(?<![A-Za-z])'([^']{2,})'(?![A-Za-z])|`([^`\n]+)`"#)
    /// Abbreviations any summary may use.
    static let commonAbbreviations: Set<String> = ["ML", "AI", "LLM", "API", "HTTP", "HTTPS", "URL", "CPU", "GPU", "RAM", "OK", "ID", "UTC", "I"]
    /// Environment names, each with the spellings that mean the same.
    static let environments: [String: Set<String>] = [
        "prod": ["prod", "production"], "production": ["prod", "production"], "staging": ["staging", "stage"], "stage": ["staging", "stage"],
        "dev": ["dev", "development"], "development": ["dev", "development"], "qa": ["qa"], "sandbox": ["sandbox"], "canary": ["canary"],
        "preprod": ["preprod", "pre-prod"], "uat": ["uat"], "shadow": ["shadow"],
    ]

    /// `from v12 to v11`: a change told by its two ends, which must be in the data in that order.
    static let change = try! NSRegularExpression(
        pattern: #"\bfrom\s+(?:version\s+|revision\s+)?([\w.-]+)\s+to\s+(?:version\s+|revision\s+)?([\w.-]+)"#, options: .caseInsensitive)

    /// - Returns: the first name or quoted phrase the data does not contain, or a change whose ends the data
    ///   holds the other way round.
    static func unsupported(in summary: String, evidence: SummaryEvidence) -> String? {
        for match in change.matches(in: summary, range: NSRange(summary.startIndex..., in: summary)) {
            guard let from = Range(match.range(at: 1), in: summary), let to = Range(match.range(at: 2), in: summary) else { continue }
            let end = { (range: Range<String.Index>) in String(summary[range]).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".-")) }
            let ends = (end(from), end(to))
            if !evidence.words.containsInOrder(ends.0, ends.1) { return "from \(ends.0) to \(ends.1)" }
        }
        for phrase in matches(of: quoted, in: summary) where !evidence.words.containsPhrase(phrase) {
            return "\"\(phrase)\""
        }
        for name in matches(of: identifier, in: summary) where !isMeasurement(name) && !evidence.words.containsName(name) {
            // A name of letters alone may be written in another form of the same word (`InferenceService`, `inferenceservices`).
            if name.allSatisfy(\.isLetter), evidence.words.contains(name) { continue }
            return name
        }
        for name in matches(of: abbreviation, in: summary) where !commonAbbreviations.contains(name) && !evidence.words.containsName(name) {
            return name
        }
        for word in SummaryText.words(in: summary) {
            if let spellings = environments[word], !spellings.contains(where: evidence.words.words.contains) { return word }
        }
        return nil
    }

    static let measurement = try! NSRegularExpression(pattern: #"^[\d.,:/-]+(?:ms|s|m|h|d|x|k|kb|mb|gb|st|nd|rd|th)?$"#, options: .caseInsensitive)

    /// Numbers, with or without a unit (`41ms`, `5x`, `0.912`, `5/5`): the number check reads those.
    static func isMeasurement(_ name: String) -> Bool {
        measurement.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }

    /// The whole match, or its first captured group that matched.
    static func matches(of pattern: NSRegularExpression, in text: String) -> [String] {
        pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            let groups = (1..<max(match.numberOfRanges, 1)).map(match.range(at:)).filter { $0.location != NSNotFound }
            return Range(groups.first ?? match.range, in: text).map { String(text[$0]) }
        }
    }
}
