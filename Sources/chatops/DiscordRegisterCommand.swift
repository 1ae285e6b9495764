import ArgumentParser
import ChatOpsCore
import ChatOpsServer
import ChatPlatforms
import Foundation
import Logging

/// Registers the bot's slash commands with Discord, made from `commands/` (`DiscordCommands`).
struct DiscordRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discord-register",
        abstract: "Register the bot's Discord slash commands, made from commands/.",
        discussion: """
            Replaces the application's commands in one request, so it is safe to run again after commands/ changes: \
            commands no longer in commands/ are removed. Global commands reach every server the bot is in; with --guild \
            they are registered in one server only, where changes show at once (handy while trying a change). \
            Needs discord.application_id and discord.bot_token in the configuration.
            """)

    @OptionGroup var options: CommonOptions

    @Option(help: "Register in this server only (its id: Developer Mode, then right-click the server → Copy Server ID).")
    var guild: String?

    @Flag(help: "Print the commands as JSON instead of registering them.")
    var dryRun = false

    func validate() throws {
        if let guild, guild.isEmpty || !guild.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw ValidationError("--guild takes a server's id, which is digits only")
        }
    }

    func run() async throws {
        let loaded = try ValidateCommand.loadOrExplain { try ConfigurationLoader.load(path: options.config) }
        let definitions = try DiscordCommands.definitions(registry: loaded.registry)
        if dryRun {
            print(String(decoding: try JSONValue.array(definitions).data(), as: UTF8.self))
            return
        }
        guard let discord = loaded.configuration.platform(DiscordSettings.self), let application = discord.applicationID, !application.isEmpty,
            let token = discord.botToken, !token.isEmpty
        else {
            throw ValidationError("the configuration needs discord.application_id and discord.bot_token (Developer Portal: General Information, Bot)")
        }
        let client = DiscordRESTClient(
            settings: .init(baseURL: discord.apiURL, token: token, applicationID: application), logger: Logger(label: "chatops.discord-register"))
        let registered = try await DiscordCommands.register(definitions, guild: guild, with: client)
        print("registered \(registered.count) commands \(guild.map { "in server \($0)" } ?? "globally") for application \(application):")
        for command in registered {
            let name = command["name"]?.string ?? "?"
            print("  /\(name) (id \(command["id"]?.string ?? "?")): \(command["description"]?.string ?? "")")
        }
    }
}
