import ArgumentParser
import ChatOpsCore
import ChatOpsServer
import Foundation

struct ShellCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Chat with the bot in the terminal.",
        discussion: "Type commands as in chat. `/as <user>` switches identity (to approve as someone else); `/quit` leaves.")

    @OptionGroup var options: CommonOptions

    @Option(name: .customLong("as"), help: "The user id to start as.")
    var user = "alice"

    @Option(help: "The channel.")
    var channel = "console"

    func run() async throws {
        let chat = try ValidateCommand.loadOrExplain { try LocalChat(configPath: options.config) }
        try await chat.runtime.storage.whileRunning {
            var current = user
            print("chatops shell: you are \(current). Type `help`, `/as <user>` to switch, `/quit` to leave.")
            while true {
                print("\(current)> ", terminator: "")
                guard let line = readLine() else { break }
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                if text == "/quit" || text == "/exit" { break }
                if text.hasPrefix("/as ") {
                    current = String(text.dropFirst(4)).trimmingCharacters(in: .whitespaces)
                    print("you are now \(current)")
                    continue
                }
                _ = try await chat.send(text, as: current, channel: channel)
            }
        }
    }
}
