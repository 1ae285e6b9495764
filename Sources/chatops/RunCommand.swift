import ArgumentParser
import ChatOpsCore
import ChatOpsServer
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Send one message to the bot and print its replies.",
        discussion: "Exits non-zero when the bot answers with an error. Example: chatops run --as alice \"deploy fraud-model v12\"")

    @OptionGroup var options: CommonOptions

    @Option(name: .customLong("as"), help: "The user id to send as.")
    var user: String

    @Option(help: "The channel.")
    var channel = "console"

    @Argument(help: "The message, as typed in chat.")
    var text: String

    func run() async throws {
        let chat = try ValidateCommand.loadOrExplain { try LocalChat(configPath: options.config) }
        let replies = try await chat.runtime.storage.whileRunning { try await chat.send(text, as: user, channel: channel) }
        if replies.isEmpty { print("(no reply)") }
        if replies.contains(where: { $0.tone == .error }) { throw ExitCode(1) }
    }
}
