import ChatOpsCore
import ChatOpsServer
import ChatPlatforms
import Foundation
import Logging

/// The in-process chat behind `shell` and `run`: the console platform and the replies it printed.
final class LocalChat: @unchecked Sendable {
    private let lock = NSLock()
    private var replies: [Reply] = []
    let runtime: BotRuntime

    init(configPath: String) throws {
        var logger = Logger(label: "chatops")
        logger.logLevel = .warning
        let collector = Collector()
        runtime = try BotRuntime.make(configPath: configPath, extraPlatforms: [ConsolePlatform(output: collector.receive)], logger: logger)
        collector.chat = self
    }

    /// Sends one message as `user` and runs every job it causes. Returns the replies in order.
    func send(_ text: String, as user: String, channel: String = "console") async throws -> [Reply] {
        lock.withLock { replies = [] }
        try await runtime.submit(text: text, sender: Principal(platform: "console", userID: user), channel: channel)
        await runtime.drain()
        return lock.withLock { replies }
    }

    fileprivate func record(_ rendered: String, _ reply: Reply) {
        lock.withLock { replies.append(reply) }
        print(rendered)
    }

    private final class Collector: @unchecked Sendable {
        weak var chat: LocalChat?
        func receive(_ rendered: String, _ reply: Reply) { chat?.record(rendered, reply) }
    }
}
