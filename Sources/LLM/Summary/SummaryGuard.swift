import ChatOpsCore
import Foundation

/// Decides whether a model's summary may be posted: every number in it must occur in the data it
/// summarises (allowing rounding and the ratio–percent change, so 0.912 may appear as 91.2 %), and it
/// must contain no mention syntax.
public enum SummaryGuard {
    /// Why a summary was refused.
    public enum Verdict: Sendable, Equatable {
        case accepted
        case unsupportedNumber(String)
        case mention
        case empty
    }

    static let number = try! NSRegularExpression(pattern: #"-?\d+(?:,\d{3})*(?:\.\d+)?"#)

    /// - Parameters:
    ///   - summary: what the model wrote.
    ///   - data: the text the model was given.
    public static func check(_ summary: String, against data: String) -> Verdict {
        let trimmed = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .empty }
        if MentionSafety.containsBroadcast(trimmed) || trimmed.contains("<@") || trimmed.contains("<#") { return .mention }
        let known = numbers(in: data).map(\.value)
        for (text, value, decimals) in numbers(in: trimmed) {
            let supported = known.contains { candidate in
                [candidate, candidate * 100, candidate / 100].contains { rounded($0, decimals) == value }
            }
            if !supported { return .unsupportedNumber(text) }
        }
        return .accepted
    }

    static func numbers(in text: String) -> [(text: String, value: Double, decimals: Int)] {
        number.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            let raw = String(text[Range(match.range, in: text)!])
            guard let value = Double(raw.replacingOccurrences(of: ",", with: "")) else { return nil }
            let decimals = raw.split(separator: ".").dropFirst().first?.count ?? 0
            return (raw, value, decimals)
        }
    }

    static func rounded(_ value: Double, _ decimals: Int) -> Double {
        let scale = pow(10, Double(decimals))
        return (value * scale).rounded() / scale
    }
}
