import ChatOpsCore
import Foundation

/// Runs a summarizer's model over a corpus and counts, for the guard and for a guard with fewer checks
/// (the numbers-and-mentions guard of earlier releases, by default): how many summaries would be posted,
/// how many of those mislead by the labels, and how many fell back to the facts alone, by reason.
public struct SummaryMeasurement: Sendable {
    /// One entry's result.
    public struct Row: Sendable {
        public var entry: SummaryCorpus.Entry
        /// What the model wrote, or nil when it failed (the error is in `failure`).
        public var summary: String?
        public var failure: String?
        public var verdict: SummaryGuard.Verdict
        public var baselineVerdict: SummaryGuard.Verdict
        /// Why the summary misleads by the labels; empty when it does not.
        public var problems: [String]
    }

    /// Totals for one guard.
    public struct Tally: Sendable, Equatable {
        public var posted = 0
        public var misleadingPosted = 0
        public var fellBack = 0
        public var refusals: [String: Int] = [:]
    }

    public var rows: [Row]

    /// - Parameters:
    ///   - corpus: the labelled outcomes.
    ///   - summarizer: its model, prompts, redactor and guard are measured.
    ///   - baseline: the guard to compare with.
    ///   - spec: the command declaration for an entry (its summary prompt).
    public static func run(
        _ corpus: SummaryCorpus, with summarizer: LLMSummarizer, baseline: SummaryGuard = SummaryGuard(checks: [.empty, .mention, .number]),
        spec: (SummaryCorpus.Entry) -> CommandSpec, onRow: (Row) -> Void = { _ in }
    ) async -> SummaryMeasurement {
        let judge = FaithfulnessJudge(corpus: corpus)
        var rows: [Row] = []
        for entry in corpus.entries {
            let row: Row
            do {
                let (completion, evidence) = try await summarizer.draft(entry.outcome, of: entry.invocation, spec: spec(entry))
                let text = completion.text.trimmingCharacters(in: .whitespacesAndNewlines)
                row = Row(
                    entry: entry, summary: text, failure: nil, verdict: summarizer.summaryGuard.check(text, against: evidence),
                    baselineVerdict: baseline.check(text, against: evidence), problems: judge.problems(of: text, for: entry))
            } catch {
                let failed = SummaryGuard.Verdict.refused(.empty, "the model failed: \(error)")
                row = Row(entry: entry, summary: nil, failure: "\(error)", verdict: failed, baselineVerdict: failed, problems: [])
            }
            onRow(row)
            rows.append(row)
        }
        return SummaryMeasurement(rows: rows)
    }

    /// The totals for the guard measured.
    public var guarded: Tally { tally(\.verdict) }
    /// The totals for the baseline guard.
    public var baseline: Tally { tally(\.baselineVerdict) }
    /// Summaries that mislead, whatever the guard says.
    public var misleadingWritten: Int { rows.filter { !$0.problems.isEmpty }.count }
    public var modelFailures: Int { rows.filter { $0.failure != nil }.count }

    private func tally(_ verdict: KeyPath<Row, SummaryGuard.Verdict>) -> Tally {
        var tally = Tally()
        for row in rows where row.failure == nil {
            switch row[keyPath: verdict] {
            case .accepted:
                tally.posted += 1
                if !row.problems.isEmpty { tally.misleadingPosted += 1 }
            case .refused(let reason, _):
                tally.fellBack += 1
                tally.refusals[reason.rawValue, default: 0] += 1
            }
        }
        return tally
    }

    /// The report people read: the totals for both guards, then each misleading or posted summary.
    public func report(model: String) -> String {
        func line(_ name: String, _ tally: Tally) -> String {
            let reasons = tally.refusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "\(name): posted \(tally.posted), misleading posted \(tally.misleadingPosted), fell back to the facts \(tally.fellBack)"
                + (reasons.isEmpty ? "" : " (\(reasons))")
        }
        var lines = [
            "model \(model), corpus \(rows.count) outcomes (\(Set(rows.map(\.entry.backend)).sorted().joined(separator: ", ")))",
            "written: \(rows.count - modelFailures), misleading by the labels \(misleadingWritten), model failures \(modelFailures)",
            line("guard", guarded),
            line("numbers-and-mentions guard", baseline),
        ]
        for row in rows where !row.problems.isEmpty {
            let mark = row.verdict == .accepted ? "POSTED" : "refused (\(row.verdict))"
            lines.append("misleading, \(mark): \(row.entry.id): \(row.summary ?? "") — \(row.problems.joined(separator: "; "))")
        }
        return lines.joined(separator: "\n")
    }
}
