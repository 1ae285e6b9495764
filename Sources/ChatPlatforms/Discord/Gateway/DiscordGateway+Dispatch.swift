import ChatOpsCore
import Foundation
import Logging

extension DiscordGateway {
    /// Handles a dispatch (op 0), then counts it handled: READY and RESUMED make the connection ready,
    /// messages and interactions meant for the bot are stored, channels and threads are learned, and the
    /// rest is ignored (topics/gateway-events#receive-events).
    /// - Throws: `DiscordGatewayConnection.Ended` when what the dispatch carried could not be stored; it is
    ///   then not counted handled, and the resume that follows asks Discord for it again.
    func dispatch(_ payload: DiscordGatewayPayload, connection: DiscordGatewayConnection) async throws {
        let event = payload.event ?? ""
        switch event {
        case "READY":
            let ready = try payload.data(as: DiscordGatewayPayload.Ready.self)
            await session.ready(sessionID: ready.sessionID, resumeURL: ready.resumeGatewayURL, botUserID: ready.user.id)
            await connection.becameReady()
            logger.info("discord gateway ready", metadata: ["discord.bot": "\(ready.user.id)"])
        case "RESUMED":
            await connection.becameReady()
            logger.info("discord gateway resumed")
        case "MESSAGE_CREATE":
            try await receiveMessage(payload, connection: connection)
        case "INTERACTION_CREATE":
            try await receiveInteraction(payload, connection: connection)
        case _ where DiscordThreadDirectory.events.contains(event):
            if let data = try? payload.data(as: JSONValue.self) { await threads.learn(from: event, data) }
        default:
            break
        }
        await session.handled(sequence: payload.sequence)
    }

    /// A message (see `DiscordGatewayMessage` for which ones are for the bot).
    private func receiveMessage(_ payload: DiscordGatewayPayload, connection: DiscordGatewayConnection) async throws {
        let receivedAt = Date()
        let message: DiscordGatewayMessage
        do { message = try payload.data(as: DiscordGatewayMessage.self) } catch {
            logger.warning("discord message not understood", metadata: ["error": "\(error)"])
            count("malformed")
            return
        }
        guard let bot = await session.botUserID, let request = message.request(toBot: bot) else { return }
        var parent: String?
        if !message.isDirect { parent = await threads.parent(of: message.channelID) }
        guard let inbound = message.inbound(request, parent: parent, receivedAt: receivedAt) else { return }
        try await store(inbound, connection: connection)
    }

    /// An interaction: the object the Interactions Endpoint URL would have received. It is decoded as there;
    /// one that asks for work is stored first, then every one is acknowledged with the answer the endpoint
    /// would have given, posted to `POST /interactions/{id}/{token}/callback`
    /// (interactions/receiving-and-responding#responding-to-an-interaction). PING never comes this way.
    private func receiveInteraction(_ payload: DiscordGatewayPayload, connection: DiscordGatewayConnection) async throws {
        let receivedAt = Date()
        let decision: WebhookDecision
        let callback: String
        do {
            let data = try payload.data(as: JSONValue.self)
            guard let id = data["id"]?.string, let token = data["token"]?.string else {
                throw WebhookDecodingError("an interaction without id and token")
            }
            callback = "/interactions/\(id)/\(token)/callback"
            let body = try Array(data.data())
            decision = deferral.apply(to: try DiscordInteractionDecoder.decide(body: body, receivedAt: receivedAt))
        } catch {
            logger.warning("discord interaction not understood", metadata: ["error": "\(error)"])
            count("malformed")
            return
        }
        switch decision {
        case .accept(let inbound, let acknowledgement):
            try await store(inbound, connection: connection)
            await acknowledge(callback, with: acknowledgement)
        case .answer(let response, let note):
            count(note)
            await acknowledge(callback, with: response)
        case .unauthorized:
            // Only a signature check refuses, and the Gateway's interactions carry none.
            return
        }
    }

    /// Stores an inbound; when it cannot be, ends the connection so that Discord replays it on resume.
    private func store(_ inbound: Inbound, connection: DiscordGatewayConnection) async throws {
        do {
            _ = try await intake.accept(inbound)
        } catch {
            logger.error(
                "discord event not stored; resuming so that Discord sends it again",
                metadata: ["chatops.dedupe": "\(inbound.dedupeKey)", "error": "\(error)"])
            throw await connection.close(.notStored)
        }
    }

    /// Posts an interaction's callback. One that fails is logged: the interaction is stored, and its
    /// replies fall back to the bot token when its token cannot be used (`DiscordPlatform.firstReply`).
    private func acknowledge(_ callback: String, with response: WebhookResponse) async {
        do {
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
            try await client.send(.POST, callback, json: body)
        } catch {
            logger.warning("discord interaction not acknowledged", metadata: ["error": "\(error)"])
        }
    }
}
