import ChatOpsCore

/// A kept run as the outcome posted in the thread: the verdict and its rule, the figures, and a
/// table of pass rates against the baseline (overall, per check kind, per slice; against a baseline
/// both columns count the paired cases only), the cases that went from pass to fail listed first.
struct EvalReport {
    let run: StoredEvalRun
    let baseline: StoredEvalRun?
    let problems: [DatasetReader.Problem]

    var outcome: Outcome {
        let summary = RunSummary(run.cases)
        let comparison = baseline.map { RunComparison(baseline: $0.cases, candidate: run.cases) }
        var facts = [
            Fact("verdict", run.verdict ?? "none (cancelled)"), Fact("rule", run.reason ?? ""),
            Fact("cases", "\(summary.overall.passed)/\(summary.overall.total) passed (\(percent(summary.overall.value)))"),
            Fact("baseline", baseline.map { "\($0.model) \($0.version), run \($0.id)" } ?? "none"),
        ]
        if let target = run.target { facts.append(Fact("target", target)) }
        if let comparison {
            if !comparison.overall.regressions.isEmpty { facts.append(Fact("pass → fail", Self.list(comparison.overall.regressions))) }
            if !comparison.overall.improvements.isEmpty { facts.append(Fact("fail → pass", Self.list(comparison.overall.improvements))) }
            if comparison.unpaired + comparison.unanswered > 0 {
                facts.append(
                    Fact("not compared", "\(comparison.unpaired) cases in only one run, \(comparison.unanswered) without an answer in either"))
            }
        }
        if let latency = summary.latency {
            facts.append(Fact("latency", "p50 \(Int(latency.p50)) ms, p95 \(Int(latency.p95)) ms, p99 \(Int(latency.p99)) ms"))
        }
        if run.promptTokens + run.completionTokens > 0 {
            facts.append(Fact("tokens", "\(run.promptTokens) prompt, \(run.completionTokens) completion"))
        }
        if summary.errors > 0 { facts.append(Fact("errors", "\(summary.errors)")) }
        if let logged = run.mlflowRunID { facts.append(Fact("mlflow run", logged)) }
        if !problems.isEmpty { facts.append(Fact("unreadable lines", problems.prefix(5).map(\.description).joined(separator: "; "))) }
        return Outcome(
            status: run.cancelled ? .failed : .succeeded,
            headline:
                "eval of \(run.model) \(run.version) on \(run.dataset): \(percent(summary.overall.value)) passed, \(run.verdict ?? "cancelled")",
            facts: facts, table: table(summary, comparison), changeKey: changeKey(comparison),
            attachment: Attachment(
                name: "eval-\(run.id)-\(CaseReport.fileName)",
                text: String(decoding: CaseReport.jsonl(run.cases, baseline: baseline?.cases), as: UTF8.self)))
    }

    /// News for a quiet schedule: the verdict, and any run with a case gone from pass to fail.
    private func changeKey(_ comparison: RunComparison?) -> String {
        let verdict = run.verdict ?? "cancelled"
        guard let regressions = comparison?.overall.regressions, !regressions.isEmpty else { return "eval:\(verdict)" }
        return "eval:\(verdict):regressed in run \(run.id)"
    }

    /// Case ids, the first 20 and how many more.
    static func list(_ ids: [String]) -> String {
        ids.prefix(20).joined(separator: ", ") + (ids.count > 20 ? " and \(ids.count - 20) more" : "")
    }

    private func table(_ summary: RunSummary, _ comparison: RunComparison?) -> [[String]] {
        var rows = [["group", "baseline", "candidate", "change", "p"]]
        func row(_ name: String, _ rate: RunSummary.Rate?, _ delta: PairedDelta?) {
            let candidate = rate.map { "\(percent($0.value)) (\($0.passed)/\($0.total))" } ?? "–"
            guard let delta, delta.paired > 0 else { return rows.append([name, "–", candidate, "–", "–"]) }
            // Both columns over the same paired cases, so the change is their difference; the name says
            // so when some of the group's cases are not paired.
            let passed = Int((delta.candidatePassRate * Double(delta.paired)).rounded())
            let label = delta.paired == rate?.total ? name : "\(name), \(delta.paired) of \(rate?.total ?? 0) paired"
            rows.append([
                label, percent(delta.baselinePassRate), "\(percent(delta.candidatePassRate)) (\(passed)/\(delta.paired))", signed(delta.difference),
                decimal(delta.pValue),
            ])
        }
        row("all cases", summary.overall, comparison?.overall)
        for kind in summary.byCheck.keys.sorted() { row("check: \(kind)", summary.byCheck[kind], comparison?.byCheck[kind]) }
        for slice in summary.bySlice.keys.sorted() { row("slice: \(slice)", summary.bySlice[slice], comparison?.bySlice[slice]) }
        return rows
    }
}
