import HummingbirdWSClient
import Logging

extension DiscordGateway {
    /// Heartbeats every `interval` milliseconds, the first after a random part of it (topics/gateway#sending-heartbeats).
    /// - Throws: when the previous heartbeat was not acknowledged: the connection is "zombied" and is replaced.
    func beat(every interval: Int, outbound: WebSocketOutboundWriter, connection: DiscordGatewayConnection) async throws {
        try await Task.sleep(for: .milliseconds(Int(Double(interval) * Double.random(in: 0..<1))))
        while true {
            if await connection.awaitsAcknowledgement {
                logger.warning("discord gateway heartbeat not acknowledged; resuming on a new connection")
                throw await connection.close(.zombie)
            }
            try await sendHeartbeat(outbound: outbound, connection: connection)
            try await Task.sleep(for: .milliseconds(interval))
        }
    }

    /// A heartbeat (op 1) with the last handled sequence number; its ACK is due before the next one.
    func sendHeartbeat(outbound: WebSocketOutboundWriter, connection: DiscordGatewayConnection) async throws {
        await connection.heartbeatSent()
        let sequence = await session.sequence
        try await outbound.write(.text(DiscordGatewayPayload.heartbeat(sequence: sequence)))
    }
}
