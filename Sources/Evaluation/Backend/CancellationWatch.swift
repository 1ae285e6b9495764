import ChatOpsCore

/// Runs an eval while checking the store every `interval` for a request to stop it, made on any
/// replica; a request cancels the run, which returns the cases it finished.
struct CancellationWatch {
    let records: any EvalRecords
    let runID: String
    let interval: Duration

    private enum Event: Sendable {
        case finished(EvalRun)
        case requested(EvalCancellation)
    }

    func run(_ body: @escaping @Sendable () async -> EvalRun) async -> (EvalRun, EvalCancellation?) {
        await withTaskGroup(of: Event?.self) { group in
            group.addTask { .finished(await body()) }
            group.addTask { [records, runID, interval] in
                while (try? await Task.sleep(for: interval)) != nil {
                    // A store that fails for a moment is asked again at the next tick.
                    if let request = try? await records.evalCancellation(runID: runID) { return .requested(request) }
                }
                return nil
            }
            var run: EvalRun?
            var request: EvalCancellation?
            while let event = await group.next() {
                switch event {
                case .finished(let finished):
                    run = finished
                    group.cancelAll()
                case .requested(let requested):
                    request = requested
                    group.cancelAll()
                case nil: break
                }
            }
            return (run ?? EvalRun(results: [], cancelled: true, promptTokens: 0, completionTokens: 0), request)
        }
    }
}
