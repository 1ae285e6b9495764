import ChatOpsCore
import Foundation

/// Every number in a summary must occur in the data, allowing rounding and the ratio–percent change
/// (0.912 may appear as 91.2 %), and a number the summary gives to a name must be one the data gives
/// to that name, where the data gives it one (`auc 0.947`, not `accuracy 0.947`).
enum NumberGrounding {
    /// Digits inside a word (`v12`, `F1`, `p95`) are part of a name, which `NameGrounding` reads.
    static let number = try! NSRegularExpression(pattern: #"(?<![A-Za-z_\d.])-?\d+(?:,\d{3})*(?:\.\d+)?"#)

    /// How far a rounded number may be from the data's: `42` for `41.5`, not `2` for `1.59`.
    static let roundingTolerance = 0.05

    /// - Returns: the first number the data does not support. A number may be rounded to the decimals it
    ///   shows, within `roundingTolerance`; a ratio may appear as a percentage (`0.912` as `91.2%`) and a
    ///   percentage as a ratio, but `0` must be in the data as it is.
    static func unsupported(in summary: String, evidence: SummaryEvidence) -> String? {
        if let wrong = misattributed(in: summary, evidence: evidence) { return wrong }
        for number in numbers(in: summary) where !evidence.numbers.contains(where: { supports($0, number) }) {
            return number.text
        }
        return nil
    }

    /// Words, and numbers with their decimals, in order (`auc=0.947` → `auc`, `0.947`).
    static let token = try! NSRegularExpression(pattern: #"[A-Za-z][A-Za-z_-]*|\d+(?:\.\d+)?%?"#)
    /// Words that may stand between a name and its number (`accuracy of 0.91`, `auc is 0.95`).
    static let links: Set<String> = ["of", "is", "was", "at", "were", "are", "reached", "about", "around", "near", "approximately"]

    static func tokens(_ text: String) -> [String] {
        token.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range, in: text).map { String(text[$0]).lowercased() }
        }
    }

    /// The numbers the data gives right after `name`, line by line (`validation auc=0.947` gives 0.947 for `auc`).
    static func bound(to name: String, in lines: [[String]]) -> [Number] {
        var found: [Number] = []
        for words in lines {
            for (index, word) in words.enumerated() where word == name && index + 1 < words.count {
                found += numbers(in: words[index + 1])
            }
        }
        return found
    }

    /// - Returns: a number the summary gives to a name (`accuracy of 0.947`) that the data gives to another
    ///   name only, while it gives this name its own number (`validation accuracy=0.921`).
    static func misattributed(in summary: String, evidence: SummaryEvidence) -> String? {
        let words = tokens(summary)
        for (index, word) in words.enumerated()
        where word.first?.isLetter == true && word.count >= 3 && !links.contains(word) && !CauseCheck.functionWords.contains(word) {
            var next = index + 1
            if next < words.count, links.contains(words[next]) { next += 1 }
            guard next < words.count, let number = numbers(in: words[next]).first else { continue }
            let own = bound(to: word, in: evidence.tokenLines)
            if !own.isEmpty, !own.contains(where: { supports($0, number) }) { return "\(number.text) for \(word)" }
        }
        return nil
    }

    static func supports(_ known: Number, _ number: Number) -> Bool {
        var candidates = [known.value]
        if number.percent, !known.percent, abs(known.value) <= 1 { candidates.append(known.value * 100) }
        if !number.percent, known.percent { candidates.append(known.value / 100) }
        return candidates.contains { candidate in
            if number.value == 0 { return candidate == 0 }
            guard rounded(candidate, number.decimals) == number.value else { return false }
            return abs(candidate - number.value) <= roundingTolerance * max(abs(candidate), abs(number.value))
        }
    }

    /// A number as written, with its value, its decimals, and whether a `%` or `percent` follows it.
    struct Number {
        var text: String
        var value: Double
        var decimals: Int
        var percent: Bool
    }

    static func numbers(in text: String) -> [Number] {
        number.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let range = Range(match.range, in: text) else { return nil }
            let raw = String(text[range])
            guard let value = Double(raw.replacingOccurrences(of: ",", with: "")) else { return nil }
            let decimals = raw.split(separator: ".").dropFirst().first?.count ?? 0
            let after = text[range.upperBound...].drop { $0 == " " }
            return Number(text: raw, value: value, decimals: decimals, percent: after.hasPrefix("%") || after.lowercased().hasPrefix("percent"))
        }
    }

    static func rounded(_ value: Double, _ decimals: Int) -> Double {
        let scale = pow(10, Double(decimals))
        return (value * scale).rounded() / scale
    }
}
