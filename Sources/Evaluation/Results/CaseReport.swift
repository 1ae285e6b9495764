import ChatOpsCore
import Foundation

/// The per-case report of a run, as JSON Lines: one line a case with its slice, whether it passed
/// (and in the baseline), each check's verdict and why, the latency, any error and the start of the
/// answer. The cases that went from pass to fail come first, then the other failures, then the rest.
public enum CaseReport {
    /// The report's file name.
    public static let fileName = "cases.jsonl"

    struct Line: Encodable {
        struct Check: Encodable {
            var kind: String
            var verdict: String
            var detail: String?
        }
        var `case`: String
        var slice: String?
        var passed: Bool
        var baselinePassed: Bool?
        var checks: [Check]
        var latencyMs: Int?
        var error: String?
        var answer: String?

        enum CodingKeys: String, CodingKey {
            case `case`, slice, passed, checks, error, answer
            case baselinePassed = "baseline_passed", latencyMs = "latency_ms"
        }
    }

    public static func jsonl(_ results: [CaseResult], baseline: [CaseResult]?) -> Data {
        let before = Dictionary((baseline ?? []).map { ($0.caseID, $0.passed) }, uniquingKeysWith: { first, _ in first })
        let lines = results.map { result in
            Line(
                case: result.caseID, slice: result.slice, passed: result.passed, baselinePassed: before[result.caseID],
                checks: result.checks.map(Self.check), latencyMs: result.latencyMilliseconds.map { Int($0.rounded()) }, error: result.error,
                answer: result.answer)
        }
        let rank = { (line: Line) in line.baselinePassed == true && !line.passed ? 0 : line.passed ? 2 : 1 }
        let ordered = lines.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for line in ordered {
            data.append((try? encoder.encode(line)) ?? Data("{}".utf8))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }

    private static func check(_ outcome: CheckOutcome) -> Line.Check {
        switch outcome.verdict {
        case .pass: Line.Check(kind: outcome.kind, verdict: "pass")
        case .fail(let detail): Line.Check(kind: outcome.kind, verdict: "fail", detail: detail)
        case .error(let detail): Line.Check(kind: outcome.kind, verdict: "error", detail: detail)
        }
    }
}
