import ChatOpsCore
import Foundation
import Logging
import ServiceLifecycle

/// Discord, over HTTP interactions and the REST API: it receives slash commands and button clicks
/// at its Interactions Endpoint URL (`DiscordInteractionsEndpoint`) and posts the bot's replies.
/// With `discord.gateway` on, it also keeps a Gateway connection (`DiscordGateway`), over which
/// mentions, direct messages and typed answers in threads arrive.
///
/// Where a reply goes:
/// - The first reply to a slash command fills the command's deferred response (see `firstReply`);
///   when the command was typed in a channel, a thread is started from that message and the
///   command's later replies go there (interaction follow-ups cannot post in threads).
/// - A private reply goes as a private follow-up of its interaction (`flags: 64`); it cannot be edited.
/// - Anything else is posted with the bot token in the conversation's thread or channel (scheduled
///   reports too); a thread named after a message that has none yet is started from that message
///   (a click on a message outside a thread, a mention at the top of a channel).
/// - A reply longer than a message carries the whole text as `result.txt`.
///
/// Each reply is posted once per idempotency key: the delivery log records it, and channel posts
/// carry a nonce made from the key with `enforce_nonce`, so Discord returns the first message
/// rather than posting again when a post is retried after its answer was lost.
public struct DiscordPlatform: ChatPlatform {
    public let name = DiscordInteractionDecoder.platform
    let client: DiscordRESTClient
    let deliveries: any DeliveryRecords
    let logger: Logger
    public let webhooks: [any WebhookEndpoint]
    /// The Gateway, when `discord.gateway` is on.
    public let connections: [any Service]
    /// Marks private replies: they cannot be edited later.
    static let ephemeralID = "ephemeral"

    /// The outbound half alone, without the interactions endpoint.
    public init(client: DiscordRESTClient, deliveries: any DeliveryRecords, logger: Logger) {
        self.client = client
        self.deliveries = deliveries
        self.logger = logger
        self.webhooks = []
        self.connections = []
    }

    /// Both halves, as `chatops serve` runs it.
    init(settings: DiscordSettings, environment: PlatformEnvironment) throws {
        let clientSettings = DiscordRESTClient.Settings(
            baseURL: settings.apiURL, token: settings.botToken ?? "", applicationID: settings.applicationID ?? "",
            channelInterval: .milliseconds(settings.channelIntervalMilliseconds))
        let client = DiscordRESTClient(settings: clientSettings, http: environment.http, logger: environment.logger)
        self.client = client
        self.deliveries = environment.deliveries
        self.logger = environment.logger
        let deferral = DiscordDeferral(parser: environment.parser, roles: environment.roles)
        if let hex = settings.publicKey {
            guard let publicKey = DiscordSignature.publicKey(hex: hex) else {
                throw DiscordSettingsError(description: "discord.public_key is not the 64 hex digits of an Ed25519 public key")
            }
            self.webhooks = [
                DiscordInteractionsEndpoint(
                    path: settings.interactionsPath, publicKey: publicKey, maxSignatureAge: TimeInterval(settings.maxSignatureAgeSeconds),
                    deferral: deferral)
            ]
        } else {
            // Without the public key, requests to an endpoint could not be verified: interactions come over the Gateway.
            self.webhooks = []
        }
        if settings.gateway {
            let gateway = DiscordGateway(
                client: client, gatewayURL: settings.gatewayURL, deferral: deferral, intake: environment.intake, logger: environment.logger)
            self.connections = [gateway]
        } else {
            self.connections = []
        }
    }

    public func post(_ reply: Reply, in conversation: Conversation, idempotencyKey key: String) async throws -> MessageRef {
        let token = DiscordReplyToken(conversation.replyToken)
        var settled: String?
        if let token, token.isCommand {
            settled = try await deliveries.delivery(key: Self.settledKey(token.token))
            if settled == nil { return try await firstReply(reply, to: token, in: conversation, key: key) }
        }
        let target = conversation.thread ?? settled ?? conversation.channel
        let followsUp = reply.ephemeral && token != nil
        if let delivered = try await deliveries.delivery(key: key) {
            return reference(delivered, postedIn: followsUp ? nil : target, in: conversation)
        }
        let message = DiscordMessage.render(reply)
        if followsUp, let token {
            do {
                let id = try await followUp(token.token, message)
                try await deliveries.recordDelivery(key: key, messageID: id)
                return MessageRef(conversation: conversation, id: id)
            } catch let error as DiscordAPIError where error.isExpiredToken {
                // As a platform without private replies would: the reply is posted in the conversation.
                logger.info("discord interaction token expired; private reply posted in the conversation", metadata: ["chatops.delivery": "\(key)"])
            }
        }
        let (id, postedIn) = try await postInChannel(message, to: target, in: conversation, key: key, named: reply)
        try await deliveries.recordDelivery(key: key, messageID: id)
        return reference(id, postedIn: postedIn, in: conversation)
    }

    public func update(_ message: MessageRef, with reply: Reply) async throws {
        guard message.id != Self.ephemeralID, !message.id.isEmpty else { return }
        // A thread started from a message has the message's id, and the message is in the channel.
        let thread = message.conversation.thread.flatMap { $0 == message.id ? nil : $0 }
        var rendered = DiscordMessage.render(reply)
        rendered.body["flags"] = nil
        // An earlier `result.txt` would no longer match the message.
        if rendered.attachment == nil { rendered.body["attachments"] = .array([]) }
        try await send(.PATCH, "/channels/\(thread ?? message.conversation.channel)/messages/\(message.id)", rendered)
    }

    /// The reference of a message posted in `postedIn` (nil: where the conversation says). The
    /// message a thread was started from is in the channel, though the thread has its id; replies to
    /// a message at the top level go in the thread started from it, which Discord names after it.
    func reference(_ id: String, postedIn: String?, in conversation: Conversation) -> MessageRef {
        var place = conversation
        if let postedIn { place.thread = postedIn == conversation.channel || postedIn == id ? nil : postedIn }
        let startsThread = id != Self.ephemeralID && !id.isEmpty
        return MessageRef(conversation: place, id: id, replyThread: place.thread ?? (startsThread ? id : nil))
    }

    /// Posts with the bot token in `target`, a channel or a thread of the conversation. A thread that
    /// does not exist yet but is named after a message (a click on a message outside a thread) is
    /// started from that message first; where none can be started (a direct message), the reply goes
    /// to the channel.
    /// - Returns: the message's id and where it was posted.
    func postInChannel(
        _ message: DiscordMessage.Rendered, to target: String, in conversation: Conversation, key: String, named reply: Reply
    ) async throws -> (id: String, postedIn: String) {
        do {
            return (try await createMessage(message, in: target, key: key), target)
        } catch let error as DiscordAPIError where error.code == DiscordAPIError.unknownChannel && target != conversation.channel {
            let place = try await startThread(from: target, in: conversation.channel, named: reply) ?? conversation.channel
            return (try await createMessage(message, in: place, key: key), place)
        }
    }
}
