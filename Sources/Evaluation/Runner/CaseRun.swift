import ChatOpsCore
import LLM

/// One case's result and the tokens it took.
struct CaseOutcome: Sendable {
    var result: CaseResult
    var promptTokens = 0
    var completionTokens = 0
}

/// Asks the target one case and applies its checks.
struct CaseRun: Sendable {
    let runner: EvalRunner

    /// - Returns: the outcome, or nil when the run was cancelled before the answer came (the case
    ///   did not run, rather than failed).
    func run(_ evalCase: EvalCase) async -> CaseOutcome? {
        let request = ChatRequest(messages: evalCase.messages, maxTokens: runner.maxTokens)
        let clock = ContinuousClock()
        let start = clock.now
        let completion: ChatCompletion
        do {
            let target = runner.target
            completion = try await withDeadline(runner.caseTimeout) { try await target.complete(request) }
        } catch {
            if Task.isCancelled { return nil }
            let reason = "no answer: \(error)"
            let checks = evalCase.checks.map { CheckOutcome(kind: $0.kind, verdict: .error(reason)) }
            return CaseOutcome(result: CaseResult(caseID: evalCase.id, slice: evalCase.slice, checks: checks, error: reason))
        }
        let elapsed = (clock.now - start).components
        let answer = EvalAnswer(text: completion.text, latencyMilliseconds: Double(elapsed.seconds) * 1_000 + Double(elapsed.attoseconds) / 1e15)
        var checks: [CheckOutcome] = []
        for check in evalCase.checks {
            let verdict: CheckVerdict
            if let decided = CheckEvaluator.verdict(of: check, on: answer) {
                verdict = decided
            } else if case .judge(let rubric) = check {
                verdict = await JudgeCheck(judge: runner.judge, timeout: runner.caseTimeout).verdict(
                    rubric: rubric, messages: evalCase.messages, answer: answer.text)
            } else {
                verdict = .error("no way to judge a `\(check.kind)` check")
            }
            checks.append(CheckOutcome(kind: check.kind, verdict: verdict))
        }
        if Task.isCancelled { return nil }  // a judge cut off by the cancellation did not judge
        return CaseOutcome(
            result: CaseResult(
                caseID: evalCase.id, slice: evalCase.slice, checks: checks, latencyMilliseconds: answer.latencyMilliseconds, answer: answer.text),
            promptTokens: completion.promptTokens, completionTokens: completion.completionTokens)
    }
}
