import ChatOpsCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import LocalServer
import NIOCore
import NIOWebSocket

extension DiscordGatewayDouble {
    /// `GET /gateway` (the URL `GET /gateway/bot` gives) and `GET /resume` (READY's `resume_gateway_url`), upgraded.
    func webSocketRouter() -> Router<ChannelKeepingContext> {
        let router = Router(context: ChannelKeepingContext.self)
        for path in ["gateway", "resume"] {
            router.ws(
                RouterPath(path),
                onUpgrade: { inbound, outbound, context in
                    let uri = context.request.uri
                    let channel = context.requestContext.channel
                    try await self.serve(inbound: inbound, outbound: outbound, channel: channel, path: uri.path, query: uri.query)
                })
        }
        return router
    }

    /// One connection: Hello, then the answers to what the bot sends and what the test asks for, in order.
    private func serve(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel, path: String, query: String?
    )
        async throws
    {
        let (commands, continuation) = AsyncStream<Command>.makeStream()
        let number = connected(continuation, path: path, query: query)
        defer { disconnected(number) }
        try await outbound.write(.text(Self.text(["op": 10, "d": ["heartbeat_interval": .number(Double(heartbeatInterval))]])))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await self.read(inbound, connection: number, commands: continuation)
            }
            try await self.follow(commands, outbound: outbound, channel: channel, connection: number)
            // After a close frame the bot answers with its own, which ends `inbound` and the reader:
            // waiting for it completes the closing handshake, so the bot always learns the close code.
            try await group.waitForAll()
        }
    }

    private func connected(_ commands: AsyncStream<Command>.Continuation, path: String, query: String?) -> Int {
        withState { state in
            let number = state.connections.count + 1
            state.connections.append(Connection(number: number, path: path, query: query))
            state.live = Live(number: number, commands: commands)
            return number
        }
    }

    private func disconnected(_ number: Int) {
        withState { state in
            if state.live?.number == number { state.live = nil }
        }
    }

    private func follow(_ commands: AsyncStream<Command>, outbound: WebSocketOutboundWriter, channel: any Channel, connection: Int) async throws {
        for await command in commands {
            switch command {
            case .deliver(let sequence):
                if let text = frame(of: sequence, on: connection) { try await outbound.write(.text(text)) }
            case .send(let payload):
                try await outbound.write(.text(Self.text(payload)))
            case .drop:
                channel.close(promise: nil)
                return
            case .close(let code):
                try await outbound.close(WebSocketErrorCode(codeNumber: code), reason: nil)
                return
            }
        }
    }

    /// The dispatch as written (`op` 0 with `s` and `t`), or nil when its session has ended.
    private func frame(of sequence: Int, on connection: Int) -> String? {
        withState { state in
            guard let dispatch = state.log.first(where: { $0.sequence == sequence }) else { return nil }
            state.written.append(Written(connection: connection, sequence: sequence, type: dispatch.type))
            let data = state.contentGranted ? dispatch.data : withoutContent(dispatch.type, dispatch.data)
            return Self.text(["op": 0, "s": .number(Double(sequence)), "t": .string(dispatch.type), "d": data])
        }
    }

    /// A message as a session without MESSAGE_CONTENT sees it (topics/gateway#message-content-intent): in a server,
    /// `content` is empty unless the message mentions the bot.
    private func withoutContent(_ type: String, _ data: JSONValue) -> JSONValue {
        let mentionsBot = data["mentions"]?.array?.contains { $0["id"]?.string == botUserID } ?? false
        guard type == "MESSAGE_CREATE", data["guild_id"] != nil, !mentionsBot else { return data }
        var data = data
        data["content"] = .string("")
        return data
    }

    /// Reads what the bot sends: heartbeats, Identify and Resume.
    private func read(_ inbound: WebSocketInboundStream, connection: Int, commands: AsyncStream<Command>.Continuation) async throws {
        for try await message in inbound.messages(maxSize: 1 << 20) {
            guard case .text(let text) = message, let payload = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { continue }
            let data = payload["d"] ?? .null
            switch payload["op"]?.int {
            case 1?: heartbeat(data, connection: connection, commands: commands)
            case 2?: identify(data, connection: connection, commands: commands)
            case 6?: resume(data, connection: connection, commands: commands)
            default: continue
            }
        }
    }

    static func text(_ value: JSONValue) -> String {
        (try? value.data()).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
