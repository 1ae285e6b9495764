import ChatOpsCore
import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket

extension DiscordGateway {
    /// Opens one connection and handles what arrives on it until it ends.
    func connectOnce() async -> DiscordGatewayConnection.Outcome {
        let connection = DiscordGatewayConnection()
        var closeCode: Int?
        do {
            let (start, url) = try await nextConnection()
            let configuration = WebSocketClientConfiguration(maxFrameSize: settings.maxMessageBytes, closeTimeout: settings.closeTimeout)
            let closing = try await WebSocketClient.connect(url: Self.connectionURL(url), configuration: configuration, logger: logger) {
                inbound, outbound, _ in
                try await self.converse(inbound: inbound, outbound: outbound, start: start, connection: connection)
            }
            closeCode = closing.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }
        } catch let refusal as DiscordAPIError where refusal.status == 401 {
            await connection.record(.fatal(DiscordGatewayError(refusal: refusal)))
        } catch {
            if !Task.isCancelled, await !connection.hasEnded {
                logger.warning("discord gateway connection failed", metadata: ["error": "\(error)"])
            }
        }
        return await connection.outcome(closeCode: closeCode)
    }

    /// How the next connection starts, and its URL: the session's resume URL, or the gateway URL (asked of
    /// `GET /gateway/bot` once, then kept).
    private func nextConnection() async throws -> (DiscordGatewaySession.Start, String) {
        let (start, url) = await session.next
        if let url { return (start, url) }
        let answer = try await client.send(.GET, "/gateway/bot")
        guard let fetched = answer?["url"]?.string else {
            throw DiscordAPIError(route: "GET /gateway/bot", status: 200, code: 0, message: "an answer without a url")
        }
        await session.use(gatewayURL: fetched)
        return (start, fetched)
    }

    /// The URL with the API version and the encoding, which a resume repeats (topics/gateway#connecting).
    static func connectionURL(_ base: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/?v=10&encoding=json"
    }

    /// One connection: its messages are read in order while heartbeats go out beside them. Either side ends
    /// the connection: the reader when the socket closes or a message asks for it, the heartbeat when an ACK
    /// is missing (the reader, waiting on a silent socket, is then cancelled).
    private func converse(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, start: DiscordGatewaySession.Start,
        connection: DiscordGatewayConnection
    ) async throws {
        let (intervals, hello) = AsyncStream<Int>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { hello.finish() }
                for try await message in inbound.messages(maxSize: self.settings.maxMessageBytes) {
                    guard case .text(let text) = message else { continue }
                    try await self.receive(text, outbound: outbound, start: start, connection: connection, hello: hello)
                }
            }
            group.addTask {
                do {
                    for await interval in intervals { try await self.beat(every: interval, outbound: outbound, connection: connection) }
                } catch is DiscordGatewayConnection.Ended {
                    throw DiscordGatewayConnection.Ended()
                } catch {
                    // A heartbeat that cannot be written means the socket is closing: the reader says why
                    // (Discord's close code comes with the close frame), so it ends the connection, not this.
                    try? await Task.sleep(for: .seconds(86_400))
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Handles one message from Discord.
    private func receive(
        _ text: String, outbound: WebSocketOutboundWriter, start: DiscordGatewaySession.Start, connection: DiscordGatewayConnection,
        hello: AsyncStream<Int>.Continuation
    ) async throws {
        let payload: DiscordGatewayPayload
        do { payload = try DiscordGatewayPayload(text: text) } catch {
            logger.warning("discord gateway message not understood", metadata: ["error": "\(error)"])
            count("malformed")
            return
        }
        typealias Opcode = DiscordGatewayPayload.Opcode
        switch payload.op {
        case Opcode.dispatch:
            try await dispatch(payload, connection: connection)
        case Opcode.hello:
            let interval = try payload.data(as: DiscordGatewayPayload.Hello.self).heartbeatInterval
            hello.yield(interval)
            try await outbound.write(.text(opening(start)))
        case Opcode.heartbeat:
            // Discord asks for a heartbeat now.
            try await sendHeartbeat(outbound: outbound, connection: connection)
        case Opcode.heartbeatAck:
            await connection.acknowledged()
        case Opcode.reconnect:
            logger.info("discord gateway asked for a reconnect")
            throw await connection.close(.reconnect)
        case Opcode.invalidSession:
            let resumable = (try? payload.data(as: Bool.self)) ?? false
            logger.warning("discord gateway session invalidated", metadata: ["discord.resumable": "\(resumable)"])
            throw await connection.close(.invalidSession(resumable: resumable))
        default:
            return
        }
    }

    /// Identify or Resume, as the connection was opened for.
    private func opening(_ start: DiscordGatewaySession.Start) async throws -> String {
        let token = client.settings.token
        switch start {
        case .identify:
            await session.forget()
            return try DiscordGatewayPayload.identify(token: token)
        case .resume(let sessionID, let sequence):
            return try DiscordGatewayPayload.resume(token: token, sessionID: sessionID, sequence: sequence)
        }
    }
}
