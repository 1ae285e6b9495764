import ChatOpsCore
import Foundation

/// The JSON value an answer holds: the whole answer, or the first fenced block (```json … ```) in it,
/// as models often wrap JSON in one.
enum JSONInAnswer {
    static func value(in text: String) -> JSONValue? {
        if let whole = parse(text) { return whole }
        guard let open = text.range(of: "```") else { return nil }
        let afterFence = text[open.upperBound...].drop { $0 != "\n" }
        guard let close = afterFence.range(of: "```") else { return nil }
        return parse(String(afterFence[..<close.lowerBound]))
    }

    private static func parse(_ text: String) -> JSONValue? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.first == "{" || trimmed.first == "[" else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8))
    }
}

/// The last number written in an answer (`The total is 1,234.5.` → 1234.5): models state the result
/// after their working, so the last number is the answer's.
enum NumberInAnswer {
    static func last(in text: String) -> Double? {
        let pattern = /-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?/
        guard let match = text.matches(of: pattern).last else { return nil }
        return Double(match.output.replacingOccurrences(of: ",", with: ""))
    }
}
