import ChatOpsCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import LocalServer
import NIOCore

/// A local stand-in for Discord's Gateway, faithful to its documented behaviour, that records what the bot
/// sent. Followed references, from discord-api-docs (github.com/discord/discord-api-docs):
/// - topics/gateway.mdx: Connecting (`?v=10&encoding=json`), Hello with `heartbeat_interval`, Sending Heartbeats
///   (op 1 with the last sequence number, answered by op 11), Identifying, the Ready event (`session_id`,
///   `resume_gateway_url`), Resuming (op 6 with `session_id` and `seq`; the missed dispatches replayed in order,
///   then RESUMED), Invalid Session (op 9, `d` whether resumable), Gateway Intents (MESSAGE_CONTENT is privileged);
/// - topics/gateway-events.mdx: the payload structure (`op`, `d`, `s`, `t`), Identify, Resume, Reconnect (op 7), Ready;
/// - topics/opcodes-and-status-codes.mdx: the gateway opcodes and close codes (4004 authentication failed,
///   4014 disallowed intents);
/// - topics/gateway.mdx, Get Gateway Bot (`GET /gateway/bot`: `url`, `shards`, `session_start_limit`), and
///   resources/channel.mdx, Get Channel; interactions/receiving-and-responding.mdx, Create Interaction Response
///   (`POST /interactions/{id}/{token}/callback`, 204).
///
/// Dispatches the test sends are numbered in their session and go out on the live connection once it has
/// identified or resumed; those sent before any session exists wait for the next READY. A resume with the
/// session's id replays every dispatch after the given sequence number. A session that did not ask for
/// MESSAGE_CONTENT gets server messages that do not mention the bot with an empty `content`, as Discord sends them.
public final class DiscordGatewayDouble: @unchecked Sendable {
    /// MESSAGE_CONTENT (1 << 15), the privileged intent an application must have turned on.
    public static let messageContentIntent = 1 << 15
    public let token: String
    /// The bot's user id, which READY gives.
    public let botUserID: String
    /// Hello's `heartbeat_interval`, in milliseconds.
    public let heartbeatInterval: Int
    public private(set) var port = 0
    let lock = NSLock()
    var state = State()

    public init(token: String = "discord-bot-token", botUserID: String = "1100000000000000001", heartbeatInterval: Int = 1_000) {
        self.token = token
        self.botUserID = botUserID
        self.heartbeatInterval = heartbeatInterval
    }

    /// The REST base URL, for `discord.api_url`.
    public var baseURL: String { "http://127.0.0.1:\(port)/api/v10" }
    /// The URL `GET /gateway/bot` answers.
    public var gatewayURL: String { "ws://127.0.0.1:\(port)/gateway" }
    /// The `resume_gateway_url` READY gives.
    public var resumeURL: String { "ws://127.0.0.1:\(port)/resume" }

    @discardableResult
    func withState<T>(_ body: (inout State) throws -> T) rethrows -> T {
        try lock.withLock { try body(&state) }
    }

    // MARK: What tests read

    /// Every WebSocket connection, in order.
    public var connections: [Connection] { withState { $0.connections } }
    public var identifies: [Identify] { withState { $0.identifies } }
    public var resumes: [Resume] { withState { $0.resumes } }
    public var heartbeats: [Heartbeat] { withState { $0.heartbeats } }
    /// Every dispatch written, in order.
    public var written: [Written] { withState { $0.written } }
    /// Every interaction callback posted, in order.
    public var callbacks: [Callback] { withState { $0.callbacks } }
    public var isConnected: Bool { withState { $0.live != nil } }
    /// Whether the live connection identified or resumed, so dispatches go out on it.
    public var isReady: Bool { withState { $0.live?.ready ?? false } }

    // MARK: What tests arrange

    /// Whether the application has the Message Content intent turned on; when not, an Identify asking for it is
    /// closed with 4014.
    public var messageContentEnabled: Bool {
        get { withState { $0.messageContentEnabled } }
        set { withState { $0.messageContentEnabled = newValue } }
    }

    /// A channel `GET /channels/{id}` answers: a thread (type 11) with its parent, or a text channel (type 0).
    public func addChannel(id: String, type: Int = 0, parent: String? = nil) {
        var channel: JSONValue = ["id": .string(id), "type": .number(Double(type)), "guild_id": "G1"]
        if let parent { channel["parent_id"] = .string(parent) }
        withState { $0.channels[id] = channel }
    }

    /// Sends a dispatch (`t` = `type`, `d` = `data`) on the live connection, or keeps it for a resume or the next READY.
    /// - Returns: its sequence number; nil when no session exists yet (it is numbered after the next READY).
    @discardableResult
    public func dispatch(type: String, data: JSONValue) -> Int? {
        withState { state in
            guard state.sessionID != nil else {
                state.waiting.append(Waiting(type: type, data: data))
                return nil
            }
            let sequence = state.append(type: type, data: data)
            if let live = state.live, live.ready { live.commands.yield(.deliver(sequence)) }
            return sequence
        }
    }

    /// Closes the live connection's TCP connection, with no close frame.
    public func dropSocket() { command(.drop) }

    /// Sends Reconnect (op 7) on the live connection.
    public func sendReconnect() { command(.send(["op": 7, "d": .null])) }

    /// Sends Invalid Session (op 9) on the live connection; when not `resumable`, the session ends first.
    public func invalidateSession(resumable: Bool) {
        withState { state in
            if !resumable { state.endSession() }
            _ = state.live?.commands.yield(.send(["op": 9, "d": .bool(resumable)]))
        }
    }

    /// Closes the live connection with close code `code`.
    public func close(code: Int) { command(.close(code: code)) }

    /// The live connection's heartbeats are recorded but no longer acknowledged.
    public func stopAcknowledgingHeartbeats() {
        withState { state in
            if let live = state.live { state.silent.insert(live.number) }
        }
    }

    private func command(_ command: Command) {
        withState { _ = $0.live?.commands.yield(command) }
    }

    /// Runs `body` with the double listening on a free loopback port, for its REST routes and its WebSocket.
    public static func run<T: Sendable>(
        token: String = "discord-bot-token", botUserID: String = "1100000000000000001", heartbeatInterval: Int = 1_000,
        _ body: @Sendable (DiscordGatewayDouble) async throws -> T
    ) async throws -> T {
        let double = DiscordGatewayDouble(token: token, botUserID: botUserID, heartbeatInterval: heartbeatInterval)
        return try await LocalServer.run(double.apiRouter(), webSockets: double.webSocketRouter()) { port in
            double.port = port
            return try await body(double)
        }
    }
}
