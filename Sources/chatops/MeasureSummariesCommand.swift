import ArgumentParser
import ChatOpsCore
import ChatOpsServer
import Foundation
import LLM
import Logging

/// Runs the configured summary model over a labelled corpus of outcomes and reports how many of its
/// summaries the guard posts, how many of those mislead, and how many fall back to the facts alone.
struct MeasureSummariesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure-summaries",
        abstract: "Measure how often the summary model's summaries mislead, over a labelled corpus of outcomes.",
        discussion: """
            Uses summary_model and the summary prompts of the configuration. Example:
              chatops measure-summaries --corpus Tests/Corpus/outcomes.json
            Exits with status 1 when a posted summary misleads by the corpus's labels.
            """)

    @OptionGroup var options: CommonOptions

    @Option(help: "The corpus: a JSON array of labelled outcomes.")
    var corpus: String

    @Flag(help: "Print every summary with its verdict, not only the misleading ones.")
    var verbose = false

    func run() async throws {
        let loaded = try ValidateCommand.loadOrExplain { try ConfigurationLoader.load(path: options.config) }
        var logger = Logger(label: "chatops.measure")
        logger.logLevel = .error
        guard let summarizer = loaded.summaryWriter(logger: logger), let model = loaded.configuration.llm.summaryModel else {
            throw ValidationError("no summary_model is configured in \(options.config)")
        }
        let entries = try SummaryCorpus(contentsOf: URL(fileURLWithPath: corpus))
        let measurement = await SummaryMeasurement.run(
            entries, with: summarizer,
            spec: { entry in
                loaded.registry.command(named: entry.invocation.command)
                    ?? CommandSpec(name: entry.invocation.command, summary: "", allow: [], action: ActionSpec(backend: entry.backend, operation: ""))
            }
        ) { row in
            guard verbose else { return }
            print("\(row.entry.id) [\(row.verdict)]\(row.problems.isEmpty ? "" : " MISLEADING \(row.problems)"): \(row.summary ?? row.failure ?? "")")
        }
        print(measurement.report(model: model))
        if measurement.guarded.misleadingPosted > 0 { throw ExitCode(1) }
    }
}
