import ChatOpsCore
import Foundation
import LLM

/// Applies the checks that need no model (all but `judge`) to an answer.
public enum CheckEvaluator {
    /// - Returns: the verdict, or nil for a `judge` check (the runner asks the judge model).
    public static func verdict(of check: EvalCheck, on answer: EvalAnswer) -> CheckVerdict? {
        let text = answer.text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch check {
        case .exact(let expected, let ignoreCase):
            let same = ignoreCase ? text.lowercased() == expected.lowercased() : text == expected
            return same ? .pass : .fail("the answer is not exactly `\(expected)`")
        case .contains(let needle, let ignoreCase):
            return has(needle, in: text, ignoreCase: ignoreCase) ? .pass : .fail("the answer does not contain `\(needle)`")
        case .notContains(let needle, let ignoreCase):
            return has(needle, in: text, ignoreCase: ignoreCase) ? .fail("the answer contains `\(needle)`") : .pass
        case .regex(let pattern):
            guard let regex = try? Regex(pattern) else { return .error("`\(pattern)` is not a valid regular expression") }
            return text.contains(regex) ? .pass : .fail("nothing in the answer matches `\(pattern)`")
        case .jsonSchema(let schema):
            guard let value = JSONInAnswer.value(in: text) else { return .fail("the answer is not JSON") }
            return JSONSchemaValidator.violation(of: value, against: schema).map { .fail($0) } ?? .pass
        case .number(let expected, let tolerance):
            guard let found = NumberInAnswer.last(in: text) else { return .fail("the answer has no number") }
            return abs(found - expected) <= tolerance ? .pass : .fail("\(format(found)) is not within \(format(tolerance)) of \(format(expected))")
        case .maxLatency(let limit):
            return answer.latencyMilliseconds <= limit
                ? .pass : .fail("answered in \(format(answer.latencyMilliseconds)) ms, more than \(format(limit)) ms")
        case .judge:
            return nil
        }
    }

    private static func has(_ needle: String, in text: String, ignoreCase: Bool) -> Bool {
        ignoreCase ? text.lowercased().contains(needle.lowercased()) : text.contains(needle)
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
