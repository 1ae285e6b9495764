import ChatOpsCore
import Foundation

/// An interaction whose token the test opened.
struct Interaction {
    var channel: String
    /// The id of the message `@original` names, once there is one.
    var original: String?
    /// Deferred with type 5 and not yet edited: the next follow-up edits the loading message.
    var loading: Bool
    var ephemeral: Bool
    var expired = false
    var followUps: [String] = []
}

struct PendingRateLimit {
    var pattern: String
    var method: String?
    var retryAfter: Double
    var global: Bool
}

struct PendingFailure {
    var pattern: String
    var method: String?
    var remaining: Int
    var status: Int
}

extension DiscordAPIDouble {
    /// Everything the double knows, guarded by `lock`.
    struct State {
        var calls: [Call] = []
        var messages: [Message] = []
        var threads: [ThreadChannel] = []
        var uploads: [UploadedFile] = []
        var violations: [Violation] = []
        /// Nonce → the id of the first message posted with it (one author: the bot).
        var nonces: [String: String] = [:]
        var interactions: [String: Interaction] = [:]
        /// Commands by guild id; "" holds the global ones.
        var commands: [String: [JSONValue]] = [:]
        var buckets: [String: Bucket] = [:]
        var globalBlockedUntil: Date?
        var pendingRateLimits: [PendingRateLimit] = []
        var pendingFailures: [PendingFailure] = []
        var lastSnowflake: UInt64 = 0

        /// A new snowflake: milliseconds since Discord's epoch (2015) shifted left 22 bits, above every earlier one.
        mutating func nextSnowflake() -> String {
            let milliseconds = UInt64(max(0, Date().timeIntervalSince1970 * 1000 - 1_420_070_400_000))
            lastSnowflake = max(milliseconds << 22, lastSnowflake + 1)
            return String(lastSnowflake)
        }

        mutating func addMessage(channel: String, body: JSONValue, files: [MultipartForm.Part], interactionToken: String?) -> Message {
            let id = nextSnowflake()
            var fields = body.object ?? [:]
            fields["attachments"] = nil
            fields = fields.filter { $0.value != .null }
            let attachments = attach(files, to: id, channel: channel, metadata: body["attachments"]?.array ?? [])
            let message = Message(
                id: id, channelID: channel, fields: fields, attachments: attachments, interactionToken: interactionToken, createdAt: Date(),
                editedAt: nil, edits: 0)
            messages.append(message)
            return message
        }

        /// Applies an edit: named fields replace the old ones (`null` clears), the EPHEMERAL flag cannot change, and only
        /// the attachments listed in `attachments` stay (all of them when it is absent), followed by the new files.
        mutating func edit(at index: Int, with body: JSONValue, files: [MultipartForm.Part]) -> Message {
            var message = messages[index]
            for (key, value) in body.object ?? [:] where key != "attachments" {
                message.fields[key] = value == .null ? nil : value
            }
            if body["flags"] != nil {
                let kept = message.flags & ~DiscordAPIDouble.ephemeralFlag
                message.fields["flags"] = .number(Double(kept | (messages[index].flags & DiscordAPIDouble.ephemeralFlag)))
            }
            if let keep = body["attachments"]?.array {
                let ids = Set(keep.compactMap { $0["id"]?.string ?? $0["id"]?.int.map { String($0) } })
                message.attachments = message.attachments.filter { ids.contains($0["id"]?.string ?? "") }
            }
            let metadata = body["attachments"]?.array ?? []
            message.attachments += attach(files, to: message.id, channel: message.channelID, metadata: metadata)
            message.editedAt = Date()
            message.edits += 1
            messages[index] = message
            return message
        }

        /// Stores the `files[n]` parts and describes them as attachment objects, with the `description` the
        /// `attachments` entry of the same `id` (the `n`) gives.
        private mutating func attach(_ files: [MultipartForm.Part], to messageID: String, channel: String, metadata: [JSONValue]) -> [JSONValue] {
            files.map { part -> JSONValue in
                let index = part.name.dropFirst("files[".count).dropLast()
                let id = nextSnowflake()
                let filename = part.filename ?? "file\(index)"
                uploads.append(
                    UploadedFile(
                        messageID: messageID, channelID: channel, field: part.name, filename: part.filename, contentType: part.contentType,
                        bytes: part.bytes))
                var attachment: [String: JSONValue] = [
                    "id": .string(id), "filename": .string(filename), "size": .number(Double(part.bytes.count)),
                    "url": .string("https://cdn.discordapp.com/attachments/\(channel)/\(id)/\(filename)"),
                    "proxy_url": .string("https://media.discordapp.net/attachments/\(channel)/\(id)/\(filename)"),
                ]
                if let contentType = part.contentType { attachment["content_type"] = .string(contentType) }
                let described = metadata.first { $0["id"]?.string == String(index) || $0["id"]?.int.map { String($0) } == String(index) }
                if let description = described?["description"] { attachment["description"] = description }
                return .object(attachment)
            }
        }
    }
}
