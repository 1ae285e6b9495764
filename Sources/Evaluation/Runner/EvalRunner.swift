import ChatOpsCore
import LLM

/// Runs a dataset's cases against a target model: at most `concurrency` at once, the target's answer
/// within `caseTimeout` (the client retries transient errors inside it; each judge call has a
/// `caseTimeout` of its own), stopping early when its task is cancelled. Results come back in dataset
/// order, each case's checks applied (the `judge` checks by the judge model); a case cut off by a
/// cancellation is left out, not failed.
public struct EvalRunner: Sendable {
    public var target: any ChatModel
    /// The model that scores `judge` checks; without one they are errors, never passes.
    public var judge: (any ChatModel)?
    public var concurrency: Int
    public var caseTimeout: Duration
    public var maxTokens: Int

    public init(
        target: any ChatModel, judge: (any ChatModel)? = nil, concurrency: Int = 4, caseTimeout: Duration = .seconds(60), maxTokens: Int = 256
    ) {
        self.target = target
        self.judge = judge
        self.concurrency = max(1, concurrency)
        self.caseTimeout = caseTimeout
        self.maxTokens = maxTokens
    }

    /// - Parameter progress: told after each case ends (the caller paces any messages it posts).
    public func run(_ cases: [EvalCase], progress: @escaping @Sendable (EvalProgress) async -> Void = { _ in }) async -> EvalRun {
        var finished: [Int: CaseOutcome] = [:]
        var tally = EvalProgress(done: 0, passed: 0, total: cases.count)
        await withTaskGroup(of: (Int, CaseOutcome?).self) { group in
            var next = 0
            func startNext() {
                guard next < cases.count, !Task.isCancelled else { return }
                let (index, evalCase, single) = (next, cases[next], CaseRun(runner: self))
                group.addTask { (index, await single.run(evalCase)) }
                next += 1
            }
            for _ in 0..<concurrency { startNext() }
            while let (index, ran) = await group.next() {
                guard let outcome = ran else { continue }
                finished[index] = outcome
                tally.done += 1
                if outcome.result.passed { tally.passed += 1 }
                startNext()
                await progress(tally)
            }
        }
        let outcomes = cases.indices.compactMap { finished[$0] }
        return EvalRun(
            results: outcomes.map(\.result), cancelled: outcomes.count < cases.count,
            promptTokens: outcomes.reduce(0) { $0 + $1.promptTokens }, completionTokens: outcomes.reduce(0) { $0 + $1.completionTokens })
    }
}

/// How far a run has got.
public struct EvalProgress: Sendable, Equatable {
    public var done: Int
    public var passed: Int
    public var total: Int

    public init(done: Int, passed: Int, total: Int) {
        self.done = done
        self.passed = passed
        self.total = total
    }

    /// The pass rate of the cases done so far.
    public var passRate: Double { done == 0 ? 0 : Double(passed) / Double(done) }
}

/// What a run produced: the result of each case that finished, in dataset order, and the tokens spent.
public struct EvalRun: Sendable, Equatable {
    public var results: [CaseResult]
    /// Whether the run was cancelled before every case ran.
    public var cancelled: Bool
    public var promptTokens: Int
    public var completionTokens: Int
}
