import ChatOpsCore
import Foundation

/// Simulated serving metrics: the same deployment and version always give the same numbers.
enum SandboxMetrics {
    static func outcome(for deployment: SandboxDeployment, window: Int) -> Outcome {
        var random = SeededGenerator(seed: "\(deployment.model)|\(deployment.environment)|\(deployment.version)")
        let baseRate = random.uniform(20...400)
        let baseLatency = random.uniform(15...120)
        let errorRate = random.uniform(0...0.02)
        let rate = (0..<12).map { _ in (baseRate * random.uniform(0.8...1.2)).rounded() }
        let p95 = (0..<12).map { _ in (baseLatency * random.uniform(0.9...1.4)).rounded() }
        let errors = (errorRate * 100 * 100).rounded() / 100
        return Outcome(
            status: .succeeded,
            headline: "\(deployment.model) \(deployment.version) in \(deployment.environment), last \(DurationFormat.format(seconds: window)).",
            facts: [Fact("error rate", "\(TemplateSummarizer.format(errors))%"), Fact("replicas", "\(deployment.replicas)")],
            series: [Series(name: "requests/s", unit: "req/s", values: rate), Series(name: "p95 latency", unit: "ms", values: p95)])
    }
}

/// A simulated evaluation run: deterministic scores per model, version and dataset.
enum SandboxEval {
    static func run(_ action: Action, context: ExecutionContext, stepDelay: Duration) async throws -> Outcome {
        let model = try action.parameter("model")
        let version = action.optionalParameter("version") ?? "latest"
        let dataset = action.optionalParameter("dataset") ?? "holdout"
        var random = SeededGenerator(seed: "\(model)|\(version)|\(dataset)")
        let cases = 200 + Int(random.uniform(0...800))
        for step in 1...3 {
            try await Task.sleep(for: stepDelay)
            await context.progress("evaluating \(model) \(version) on \(dataset): \(step * cases / 3)/\(cases) cases")
        }
        let accuracy = (random.uniform(0.80...0.97) * 1000).rounded() / 1000
        let f1 = (accuracy * random.uniform(0.95...1.0) * 1000).rounded() / 1000
        let auc = (random.uniform(0.85...0.99) * 1000).rounded() / 1000
        return Outcome(
            status: .succeeded, headline: "Evaluated \(model) \(version) on \(dataset) (\(cases) cases).",
            facts: [
                Fact("accuracy", TemplateSummarizer.format(accuracy)), Fact("f1", TemplateSummarizer.format(f1)),
                Fact("auc", TemplateSummarizer.format(auc)),
            ])
    }
}
