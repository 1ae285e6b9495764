import ChatOpsCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import LocalServer
import NIOCore

extension SlackSocketModeDouble {
    /// `GET /link?ticket=…`: upgraded when the ticket is one `apps.connections.open` handed out.
    func webSocketRouter() -> Router<ChannelKeepingContext> {
        let router = Router(context: ChannelKeepingContext.self)
        router.ws(
            "link",
            shouldUpgrade: { request, _ in
                self.redeem(request.uri.queryParameters.get("ticket") ?? "") ? .upgrade() : .dontUpgrade
            },
            onUpgrade: { inbound, outbound, context in
                try await self.serve(inbound: inbound, outbound: outbound, channel: context.requestContext.channel)
            })
        return router
    }

    /// One connection: `hello`, then every envelope not yet acknowledged, then what the test asks for;
    /// meanwhile the bot's acknowledgements are recorded.
    private func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel) async throws {
        try await outbound.write(.text(Self.text(Self.hello)))
        let (commands, continuation) = AsyncStream<Command>.makeStream()
        let number = connected(continuation)
        defer { disconnected(number) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await self.recordAcknowledgements(from: inbound, connection: number)
            }
            try await self.follow(commands, outbound: outbound, channel: channel, connection: number)
            group.cancelAll()
        }
    }

    /// Makes the connection the live one and queues on it every envelope not yet acknowledged.
    private func connected(_ commands: AsyncStream<Command>.Continuation) -> Int {
        lock.withLock {
            connections += 1
            live = (connections, commands)
            for envelope in pending where !envelope.acknowledged { commands.yield(.deliver(envelope.envelope.id)) }
            return connections
        }
    }

    private func disconnected(_ number: Int) {
        lock.withLock { if live?.number == number { live = nil } }
    }

    private func follow(_ commands: AsyncStream<Command>, outbound: WebSocketOutboundWriter, channel: any Channel, connection: Int) async throws {
        for await command in commands {
            switch command {
            case .deliver(let id):
                if let message = delivery(of: id, on: connection) { try await outbound.write(.text(message)) }
            case .disconnect(let reason):
                let message: JSONValue = ["type": "disconnect", "reason": .string(reason), "debug_info": ["host": "applink-double"]]
                try await outbound.write(.text(Self.text(message)))
                return
            case .drop:
                channel.close(promise: nil)
                return
            }
        }
    }

    /// The envelope as written now (its `retry_attempt` counts the earlier writes), or nil once acknowledged.
    private func delivery(of id: String, on connection: Int) -> String? {
        lock.withLock {
            guard let index = pending.firstIndex(where: { $0.envelope.id == id }), !pending[index].acknowledged else { return nil }
            let attempt = pending[index].attempts
            pending[index].attempts += 1
            written.append(Delivery(envelopeID: id, retryAttempt: attempt, connection: connection))
            return Self.text(pending[index].envelope.message(retryAttempt: attempt))
        }
    }

    private func recordAcknowledgements(from inbound: WebSocketInboundStream, connection: Int) async throws {
        for try await message in inbound.messages(maxSize: 1 << 20) {
            guard case .text(let text) = message, let object = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
                let id = object["envelope_id"]?.string
            else { continue }
            lock.withLock {
                acknowledged.append(Acknowledgement(envelopeID: id, payload: object["payload"], at: Date(), connection: connection))
                if let index = pending.firstIndex(where: { $0.envelope.id == id }) { pending[index].acknowledged = true }
            }
        }
    }

    static let hello: JSONValue = [
        "type": "hello", "num_connections": 1,
        "debug_info": ["host": "applink-double", "build_number": 1, "approximate_connection_time": 18060],
        "connection_info": ["app_id": .string(appID)],
    ]
}
