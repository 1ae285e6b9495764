import ChatOpsCore
import Foundation
import Logging

/// Posts the bot's replies to Slack: in the thread with `chat.postMessage`, updates in place with
/// `chat.update`, replies only the asker should see through the command's `response_url`, and
/// replies too long for a message as a file in the thread (`files.getUploadURLExternal` +
/// `files.completeUploadExternal`).
public struct SlackPlatform: ChatPlatform {
    public let name = SlackInboundDecoder.platform
    let client: SlackWebAPIClient
    let deliveries: any DeliveryLog
    let logger: Logger
    /// Marks replies posted through a `response_url`: they cannot be updated later.
    static let ephemeralID = "ephemeral"

    public init(client: SlackWebAPIClient, deliveries: any DeliveryLog, logger: Logger) {
        self.client = client
        self.deliveries = deliveries
        self.logger = logger
    }

    public func post(_ reply: Reply, in conversation: Conversation, idempotencyKey: String) async throws -> MessageRef {
        if let delivered = try await deliveries.delivery(key: idempotencyKey) {
            return MessageRef(conversation: conversation, id: delivered)
        }
        let message = SlackBlockKit.render(reply)
        let id: String
        if reply.ephemeral, let responseURL = conversation.replyToken {
            try await client.respond(to: responseURL, [
                "response_type": "ephemeral", "replace_original": false, "text": .string(message.text), "blocks": .array(message.blocks),
            ])
            id = Self.ephemeralID
        } else if message.tooLong {
            id = try await upload(reply, in: conversation)
        } else {
            var body: [String: JSONValue] = ["channel": .string(conversation.channel), "text": .string(message.text), "blocks": .array(message.blocks)]
            if let thread = conversation.thread { body["thread_ts"] = .string(thread) }
            let response = try await client.call("chat.postMessage", .object(body), channel: conversation.channel)
            id = response["ts"]?.string ?? ""
        }
        try await deliveries.recordDelivery(key: idempotencyKey, messageID: id)
        return MessageRef(conversation: conversation, id: id)
    }

    public func update(_ message: MessageRef, with reply: Reply) async throws {
        // Replies through a response_url and uploaded files cannot be edited with chat.update.
        guard message.id != Self.ephemeralID, !message.id.isEmpty, !message.id.hasPrefix("file:") else { return }
        let rendered = SlackBlockKit.render(reply)
        try await client.call(
            "chat.update",
            ["channel": .string(message.conversation.channel), "ts": .string(message.id), "text": .string(rendered.text), "blocks": .array(rendered.blocks)],
            channel: message.conversation.channel)
    }

    /// Uploads the whole reply as a text file in the thread, with its first line as the comment.
    private func upload(_ reply: Reply, in conversation: Conversation) async throws -> String {
        let content = Array(ConsoleRenderer.render(reply).utf8)
        let filename = "result-\(Int(Date().timeIntervalSince1970)).txt"
        let ticket = try await client.call("files.getUploadURLExternal", ["filename": .string(filename), "length": .number(Double(content.count))])
        guard let url = ticket["upload_url"]?.string, let fileID = ticket["file_id"]?.string else {
            throw SlackAPIError(method: "files.getUploadURLExternal", code: "no_upload_url")
        }
        try await client.upload(content, to: url)
        var complete: [String: JSONValue] = [
            "files": [["id": .string(fileID), "title": .string(reply.title ?? "result")]],
            "channel_id": .string(conversation.channel),
            "initial_comment": .string(SlackBlockKit.escape(String(reply.text.prefix(1_000))) + "\n(full result attached)"),
        ]
        if let thread = conversation.thread { complete["thread_ts"] = .string(thread) }
        try await client.call("files.completeUploadExternal", .object(complete), channel: conversation.channel)
        return "file:\(fileID)"
    }
}
