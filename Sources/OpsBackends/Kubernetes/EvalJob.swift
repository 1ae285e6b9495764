import ChatOpsCore
import Crypto
import Foundation

/// An evaluation run as a Kubernetes batch Job: created once per execution (its name comes from the
/// execution id, so a retried job finds the Job it made), followed until it succeeds or fails, and
/// reported with the tail of its pod's log and any `metric=value` or `metric: value` lines in it.
struct EvalJob {
    let client: KubernetesClient
    let pollInterval: Duration

    func run(_ action: Action, namespace: String, context: ExecutionContext) async throws -> Outcome {
        let prefix = try action.parameter("name")
        let image = try action.parameter("image")
        let name = "\(prefix.prefix(40))-\(Self.suffix(context.executionID))"
        let arguments = action.numberedArguments.map { JSONValue.string($0) }
        let job: JSONValue = [
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": [
                "name": .string(name), "labels": ["app.kubernetes.io/managed-by": "chatops"], "annotations": KubernetesBackend.executionMark(context),
            ],
            "spec": [
                "backoffLimit": 0, "ttlSecondsAfterFinished": 86_400,
                "template": [
                    "spec": ["restartPolicy": "Never", "containers": [["name": "eval", "image": .string(image), "args": .array(arguments)]]]
                ],
            ],
        ]
        let jobs = "/apis/batch/v1/namespaces/\(namespace)/jobs"
        do {
            _ = try await client.create(jobs, job, "create jobs in \(namespace)")
            await context.progress("started job \(name)")
        } catch let error as KubernetesError where error.code == 409 {
            await context.progress("following job \(name)")
        }
        let deadline = Duration.seconds(Int(action.optionalParameter("deadline") ?? "") ?? 3_600)
        let (_, state) = try await Rollout(client: client, interval: pollInterval, deadline: deadline)
            .follow("\(jobs)/\(name)", what: "job \(name)", context: context, judge: Self.judge)
        let log = try await logTail(job: name, namespace: namespace)
        let facts = [Fact("job", name)] + Self.metrics(in: log ?? "")
        switch state {
        case .done: return Outcome(status: .succeeded, headline: "Evaluation job \(name) succeeded.", facts: facts, log: log)
        case .failed(let reason), .progressing(let reason):
            return Outcome(status: .failed, headline: "Evaluation job \(name) \(reason).", facts: facts, log: log)
        }
    }

    static func judge(_ job: JSONValue) -> Rollout.State {
        let conditions = job[path: ["status", "conditions"]]?.array ?? []
        if conditions.contains(where: { $0["type"] == "Complete" && $0["status"] == "True" }) { return .done("complete") }
        if let failed = conditions.first(where: { $0["type"] == "Failed" && $0["status"] == "True" }) {
            return .failed("failed: \(failed["message"]?.string ?? failed["reason"]?.string ?? "the pod failed")")
        }
        return .progressing("job running: \(job[path: ["status", "active"]]?.int ?? 0) active pod(s)")
    }

    private func logTail(job: String, namespace: String) async throws -> String? {
        let pods = try await client.get("/api/v1/namespaces/\(namespace)/pods?labelSelector=job-name%3D\(job)", "list pods in \(namespace)")
        guard let pod = pods["items"]?.array?.last?[path: ["metadata", "name"]]?.string else { return nil }
        return try? await client.text("/api/v1/namespaces/\(namespace)/pods/\(pod)/log?tailLines=40", "get pods/log \(pod) in \(namespace)")
    }

    /// `accuracy=0.93` or `f1: 0.87` lines.
    static func metrics(in log: String) -> [Fact] {
        let pattern = try! NSRegularExpression(
            pattern: #"^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*[:=]\s*(-?\d+(?:\.\d+)?)\s*$"#, options: [.anchorsMatchLines])
        return pattern.matches(in: log, range: NSRange(log.startIndex..., in: log)).compactMap { match in
            guard let key = Range(match.range(at: 1), in: log), let value = Range(match.range(at: 2), in: log) else { return nil }
            return Fact(String(log[key]), String(log[value]))
        }
    }

    /// Eight hex digits of the execution id's hash: a valid, stable Job name suffix.
    static func suffix(_ executionID: String) -> String {
        Hex.encode(SHA256.hash(data: Data(executionID.utf8)).prefix(4))
    }
}
