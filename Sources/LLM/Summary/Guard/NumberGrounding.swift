import ChatOpsCore
import Foundation

/// Every number in a summary must occur in the data, allowing rounding and the ratio–percent change
/// (0.912 may appear as 91.2 %).
enum NumberGrounding {
    /// Digits inside a word (`v12`, `F1`, `p95`) are part of a name, which `NameGrounding` reads.
    static let number = try! NSRegularExpression(pattern: #"(?<![A-Za-z_\d.])-?\d+(?:,\d{3})*(?:\.\d+)?"#)

    /// - Returns: the first number the data does not support.
    static func unsupported(in summary: String, evidence: SummaryEvidence) -> String? {
        let known = numbers(in: evidence.data).map(\.value)
        for (text, value, decimals) in numbers(in: summary) {
            let supported = known.contains { candidate in
                [candidate, candidate * 100, candidate / 100].contains { rounded($0, decimals) == value }
            }
            if !supported { return text }
        }
        return nil
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
