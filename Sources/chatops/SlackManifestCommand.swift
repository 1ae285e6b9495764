import ArgumentParser
import ChatOpsServer
import ChatPlatforms
import Foundation

struct SlackManifestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slack-manifest",
        abstract: "Print a Slack app manifest generated from commands/.",
        discussion: "Paste it at api.slack.com/apps → Create New App → From a manifest.")

    @OptionGroup var options: CommonOptions

    @Option(help: "The bot's public base URL, such as https://chatops.example.com.")
    var baseURL: String?

    @Flag(help: "An app that connects with Socket Mode (slack.app_token): no request URLs.")
    var socketMode = false

    func validate() throws {
        guard (baseURL == nil) == socketMode else { throw ValidationError("give --base-url, or --socket-mode for an app without a public address") }
    }

    @Option(help: "The app's name in Slack.")
    var name = "ChatOps"

    func run() async throws {
        let loaded = try ValidateCommand.loadOrExplain { try ConfigurationLoader.load(path: options.config) }
        let slack = loaded.configuration.platform(SlackSettings.self) ?? SlackSettings()
        print(
            SlackManifest.yaml(
                registry: loaded.registry, baseURL: baseURL, name: name, rootCommand: loaded.configuration.bot.rootCommand,
                paths: (slack.commandsPath, slack.eventsPath, slack.interactivePath)),
            terminator: "")
    }
}
