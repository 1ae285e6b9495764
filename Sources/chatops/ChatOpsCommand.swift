import ArgumentParser

/// The `chatops` command-line tool.
@main
struct ChatOpsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatops",
        abstract: "A ChatOps bot for ML and LLM operations.",
        subcommands: [
            ServeCommand.self, ShellCommand.self, RunCommand.self, ValidateCommand.self, AuditCommand.self, SlackManifestCommand.self,
            DiscordRegisterCommand.self, WebChatTokenCommand.self, MeasureSummariesCommand.self,
        ],
        defaultSubcommand: ServeCommand.self)
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The configuration file.")
    var config = "chatops.yaml"
}
