import ArgumentParser
import ChatOpsCore
import ChatOpsServer
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the bot: webhooks, web chat, workers and scheduler.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Override the configured port.")
    var port: Int?

    @Option(help: "Log format: text or json.")
    var logFormat = "text"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "chatops")
        let runtime: BotRuntime
        do {
            runtime = try BotRuntime.make(configPath: options.config, logger: logger)
        } catch let failure as ValidationFailure {
            FileHandle.standardError.write(Data("chatops: refusing to start: \(failure)\n".utf8))
            throw ExitCode(2)
        }
        logger.info(
            "starting",
            metadata: [
                "chatops.commands": "\(runtime.loaded.registry.specs.count)",
                "chatops.store": "\(runtime.storage.location)",
            ])
        try await runtime.storage.whileRunning { try await runtime.buildApplication(prometheus: registry, port: port).runService() }
    }
}
