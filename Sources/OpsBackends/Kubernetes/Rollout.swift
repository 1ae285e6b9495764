import ChatOpsCore
import Foundation

/// Follows a change until it is rolled out, reporting progress, or until its deadline passes.
struct Rollout {
    let client: KubernetesClient
    let interval: Duration
    let deadline: Duration

    enum State: Equatable {
        case progressing(String)
        case done(String)
        case failed(String)
    }

    /// Polls `path` until `judge` says done or failed; progress messages are sent when they change.
    func follow(_ path: String, what: String, context: ExecutionContext, judge: (JSONValue) -> State) async throws -> (JSONValue, State) {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        var last = ""
        while true {
            let object = try await client.get(path, "get \(what)")
            let state = judge(object)
            switch state {
            case .done, .failed: return (object, state)
            case .progressing(let message):
                if message != last {
                    await context.progress(message)
                    last = message
                }
            }
            guard clock.now < end else {
                return (object, .failed("not rolled out after \(DurationFormat.format(seconds: Int(deadline.components.seconds))): \(last)"))
            }
            try await Task.sleep(for: interval)
        }
    }

    /// A Deployment is rolled out when the controller saw the latest spec and every replica is
    /// updated and available, as `kubectl rollout status` judges it.
    static func deployment(_ object: JSONValue) -> State {
        let wanted = object[path: ["spec", "replicas"]]?.int ?? 1
        let generation = object[path: ["metadata", "generation"]]?.int ?? 0
        let status = object["status"] ?? [:]
        let observed = status["observedGeneration"]?.int ?? 0
        let updated = status["updatedReplicas"]?.int ?? 0
        let total = status["replicas"]?.int ?? 0
        let available = status["availableReplicas"]?.int ?? 0
        // Conditions describe the generation the controller last saw; an older stall says nothing about this change.
        if observed >= generation,
            let stalled = status["conditions"]?.array?.first(where: { $0["type"] == "Progressing" && $0["reason"] == "ProgressDeadlineExceeded" })
        {
            return .failed("the rollout stalled: \(stalled["message"]?.string ?? "progress deadline exceeded")")
        }
        let summary = "\(updated)/\(wanted) updated, \(available) available"
        if observed >= generation, updated == wanted, total == wanted, available == wanted {
            return .done(summary)
        }
        return .progressing("rolling out: \(summary)")
    }
}
