import ChatOpsCore
import Foundation
import LLM

/// Reads a dataset in JSON Lines: one case an object a line, blank lines and `#` comments skipped.
///
///     {"id": "sum-1", "input": "What is 2 + 2?", "slice": "math", "checks": [{"type": "number", "value": 4}]}
///     {"messages": [{"role": "system", "content": "…"}, {"role": "user", "content": "…"}], "checks": […]}
///
/// A line that is not a valid case is reported with its number and why; the other lines are kept,
/// so one typo does not stop a run.
public enum DatasetReader {
    /// A line that was left out.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The cases of a dataset and the lines that could not be read.
    public static func read(_ text: String) -> (cases: [EvalCase], problems: [Problem]) {
        var cases: [EvalCase] = []
        var problems: [Problem] = []
        var seen: Set<String> = []
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
                let evalCase = try CaseDecoding.evalCase(value, line: index + 1)
                guard seen.insert(evalCase.id).inserted else { throw CaseDecoding.Failure("the id `\(evalCase.id)` is used by an earlier line") }
                cases.append(evalCase)
            } catch let failure as CaseDecoding.Failure {
                problems.append(Problem(line: index + 1, message: failure.message))
            } catch {
                problems.append(Problem(line: index + 1, message: "not valid JSON"))
            }
        }
        return (cases, problems)
    }
}
