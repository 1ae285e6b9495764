import ChatOpsCore
import Foundation
import Logging
import ServiceLifecycle

/// Posts the bot's replies to Slack: in the thread with `chat.postMessage`, updates in place with
/// `chat.update`, replies only the asker should see through the command's `response_url`, and
/// replies too long for a message as a file in the thread (`files.getUploadURLExternal` +
/// `files.completeUploadExternal`). All text is made mention-safe (`Reply.mentionSafe`) first.
///
/// Each posted message carries its idempotency key as message metadata. Before the first attempt
/// to post a key, the attempt is noted in the delivery log; when a later attempt finds that note
/// but no delivery (the process stopped between Slack's answer and the record), it looks for the
/// message by its metadata (`SlackReplyLookup`) and records that instead of posting again.
public struct SlackPlatform: ChatPlatform {
    public let name = SlackInboundDecoder.platform
    let client: SlackWebAPIClient
    let deliveries: any DeliveryRecords
    let lookup: SlackReplyLookup
    let logger: Logger
    public let webhooks: [any WebhookEndpoint]
    /// Socket Mode, when `slack.app_token` is set.
    public let connections: [any Service]
    let userGroups: SlackUserGroups?
    /// Marks replies posted through a `response_url`: they cannot be updated later.
    static let ephemeralID = "ephemeral"

    /// The outbound half alone, without request URLs or group lookups.
    public init(client: SlackWebAPIClient, deliveries: any DeliveryRecords, logger: Logger) {
        self.client = client
        self.deliveries = deliveries
        self.lookup = SlackReplyLookup(client: client)
        self.logger = logger
        self.webhooks = []
        self.connections = []
        self.userGroups = nil
    }

    /// Both halves, as `chatops serve` runs it.
    init(client: SlackWebAPIClient, settings: SlackSettings, environment: PlatformEnvironment) {
        self.client = client
        self.deliveries = environment.deliveries
        self.lookup = SlackReplyLookup(client: client)
        self.logger = environment.logger
        // The request URLs need the signing secret; Socket Mode needs the app-level token instead.
        if let secret = settings.signingSecret {
            let signature = SlackSignature(secret: secret)
            self.webhooks = [
                (SlackWebhook.Kind.commands, settings.commandsPath), (.events, settings.eventsPath), (.interactive, settings.interactivePath),
            ].map { SlackWebhook(kind: $0.0, path: $0.1, signature: signature, parser: environment.parser, roles: environment.roles) }
        } else {
            self.webhooks = []
        }
        if let appToken = settings.appToken {
            self.connections = [
                SlackSocketMode(
                    appToken: appToken, apiURL: settings.apiURL, intake: environment.intake, parser: environment.parser, roles: environment.roles,
                    http: environment.http, logger: environment.logger)
            ]
        } else {
            self.connections = []
        }
        self.userGroups = SlackUserGroups(client: client, roles: environment.roles, lifetime: TimeInterval(settings.groupCacheSeconds))
    }

    public func groups(of principal: Principal) async throws -> [String] {
        guard let userGroups else { return principal.groups }
        return try await userGroups.groups(of: principal.userID)
    }

    public func post(_ reply: Reply, in conversation: Conversation, idempotencyKey: String) async throws -> MessageRef {
        if let delivered = try await deliveries.delivery(key: idempotencyKey) {
            return Self.reference(delivered, in: conversation)
        }
        let reply = reply.mentionSafe
        let message = SlackBlockKit.render(reply)
        let id: String
        if reply.ephemeral, let responseURL = conversation.replyToken {
            try await client.respond(
                to: responseURL,
                [
                    "response_type": "ephemeral", "replace_original": false, "text": .string(message.text), "blocks": .array(message.blocks),
                ])
            id = Self.ephemeralID
        } else if message.tooLong {
            id = try await upload(reply, in: conversation)
        } else {
            id = try await postOnce(message, in: conversation, key: idempotencyKey)
        }
        try await deliveries.recordDelivery(key: idempotencyKey, messageID: id)
        return Self.reference(id, in: conversation)
    }

    /// A posted message's reference. A message at the top level starts a thread named by its `ts`;
    /// a private reply or an uploaded file starts none.
    static func reference(_ id: String, in conversation: Conversation) -> MessageRef {
        let startsThread = id != ephemeralID && !id.isEmpty && !id.hasPrefix("file:")
        return MessageRef(conversation: conversation, id: id, replyThread: conversation.thread ?? (startsThread ? id : nil))
    }

    /// The delivery-log key under which the start of the first attempt to post `key` is noted
    /// (Unix seconds); the log keeps the first record of a key.
    static func attemptKey(_ key: String) -> String { "\(key)#attempt" }

    /// Posts with `chat.postMessage`, the key attached as metadata, unless an interrupted earlier
    /// attempt already did: then returns that message's `ts`.
    private func postOnce(_ message: SlackBlockKit.Message, in conversation: Conversation, key: String) async throws -> String {
        if let noted = try await deliveries.delivery(key: Self.attemptKey(key)) {
            let attempt = Double(noted).map { Date(timeIntervalSince1970: $0) } ?? Date(timeIntervalSince1970: 0)
            do {
                if let ts = try await lookup.find(key: key, in: conversation, since: attempt) {
                    logger.info("slack reply found from an interrupted attempt", metadata: ["chatops.delivery": "\(key)", "slack.ts": "\(ts)"])
                    return ts
                }
            } catch let error as SlackAPIError {
                // Posting again may duplicate the reply, but never loses it.
                logger.warning(
                    "slack lookup of an earlier post failed; posting", metadata: ["chatops.delivery": "\(key)", "slack.error": "\(error.code)"])
            }
        } else {
            try await deliveries.recordDelivery(key: Self.attemptKey(key), messageID: String(Date().timeIntervalSince1970))
        }
        var body: [String: JSONValue] = [
            "channel": .string(conversation.channel), "text": .string(message.text), "blocks": .array(message.blocks),
            "metadata": SlackReplyLookup.metadata(key: key),
        ]
        if let thread = conversation.thread { body["thread_ts"] = .string(thread) }
        let response = try await client.call("chat.postMessage", .object(body), channel: conversation.channel)
        return response["ts"]?.string ?? ""
    }

    public func update(_ message: MessageRef, with reply: Reply) async throws {
        // Replies through a response_url and uploaded files cannot be edited with chat.update.
        guard message.id != Self.ephemeralID, !message.id.isEmpty, !message.id.hasPrefix("file:") else { return }
        let rendered = SlackBlockKit.render(reply.mentionSafe)
        try await client.call(
            "chat.update",
            [
                "channel": .string(message.conversation.channel), "ts": .string(message.id), "text": .string(rendered.text),
                "blocks": .array(rendered.blocks),
            ],
            channel: message.conversation.channel)
    }

    /// Uploads the whole reply (already mention-safe) as a text file in the thread, with its start as
    /// the comment. An upload carries no metadata, so a retried upload is not looked for.
    private func upload(_ reply: Reply, in conversation: Conversation) async throws -> String {
        let file = Attachment(name: "result-\(Int(Date().timeIntervalSince1970)).txt", text: ConsoleRenderer.render(reply))
        let comment = SlackBlockKit.escape(MentionSafety.neutralize(String(reply.text.prefix(1_000)))) + "\n(full result attached)"
        return "file:" + (try await upload(file, title: reply.title ?? "result", comment: comment, in: conversation))
    }

    /// Posts a file in the thread once: the delivery log keeps the key of a finished upload (a crash
    /// between the upload and that record uploads it again).
    public func attach(_ file: Attachment, in conversation: Conversation, idempotencyKey: String) async throws -> Bool {
        if try await deliveries.delivery(key: idempotencyKey) != nil { return true }
        let safe = Attachment(name: file.name, text: MentionSafety.neutralize(file.text))
        let fileID = try await upload(safe, title: file.name, comment: nil, in: conversation)
        try await deliveries.recordDelivery(key: idempotencyKey, messageID: "file:\(fileID)")
        return true
    }

    /// `files.getUploadURLExternal`, the bytes, then `files.completeUploadExternal` into the thread.
    private func upload(_ file: Attachment, title: String, comment: String?, in conversation: Conversation) async throws -> String {
        let content = Array(file.text.utf8)
        let ticket = try await client.call("files.getUploadURLExternal", ["filename": .string(file.name), "length": .number(Double(content.count))])
        guard let url = ticket["upload_url"]?.string, let fileID = ticket["file_id"]?.string else {
            throw SlackAPIError(method: "files.getUploadURLExternal", code: "no_upload_url")
        }
        try await client.upload(content, to: url)
        var complete: [String: JSONValue] = [
            "files": [["id": .string(fileID), "title": .string(MentionSafety.neutralize(title))]], "channel_id": .string(conversation.channel),
        ]
        if let comment { complete["initial_comment"] = .string(comment) }
        if let thread = conversation.thread { complete["thread_ts"] = .string(thread) }
        try await client.call("files.completeUploadExternal", .object(complete), channel: conversation.channel)
        return fileID
    }
}
