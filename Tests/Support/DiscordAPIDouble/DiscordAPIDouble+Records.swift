import ChatOpsCore
import Foundation

extension DiscordAPIDouble {
    /// One request the double received.
    public struct Call: Sendable {
        public var method: String
        /// The path after `/api/v10`, such as `/channels/123/messages`.
        public var path: String
        public var query: String?
        /// The JSON body; for `multipart/form-data`, `payload_json` with any other text fields added. Null when unreadable.
        public var body: JSONValue
        public var authorization: String?
        public var contentType: String?
        public var userAgent: String?
        /// The HTTP status the double answered.
        public var status: Int
    }

    /// A message as Discord keeps it: the fields it was created with, each later edit applied.
    public struct Message: Sendable {
        public var id: String
        /// The channel, or the thread, it is in.
        public var channelID: String
        /// The fields sent (`content`, `components`, `embeds`, `flags`, `allowed_mentions`, `nonce`, …) after edits.
        public var fields: [String: JSONValue]
        /// Attachment objects for the files it carries.
        public var attachments: [JSONValue]
        /// The interaction token it was sent with (a response or follow-up); nil for a post with the bot token.
        public var interactionToken: String?
        public var createdAt: Date
        public var editedAt: Date?
        /// How many times it was edited.
        public var edits: Int

        public var content: String { fields["content"]?.string ?? "" }
        public var components: [JSONValue] { fields["components"]?.array ?? [] }
        public var embeds: [JSONValue] { fields["embeds"]?.array ?? [] }
        public var flags: Int { fields["flags"]?.int ?? 0 }
        /// The `allowed_mentions` of the last write that sent one.
        public var allowedMentions: JSONValue? { fields["allowed_mentions"] }
        public var isEphemeral: Bool { flags & DiscordAPIDouble.ephemeralFlag != 0 }
    }

    /// A thread started from a message; its id is the message's.
    public struct ThreadChannel: Sendable {
        public var id: String
        public var parentID: String
        public var name: String
        public var autoArchiveDuration: Int
    }

    /// A file received as a `files[n]` part.
    public struct UploadedFile: Sendable {
        public var messageID: String
        public var channelID: String
        /// The part's name, such as `files[0]`.
        public var field: String
        public var filename: String?
        public var contentType: String?
        public var bytes: [UInt8]
    }

    /// A call Discord would have refused for coming too soon: its bucket was empty, or a 429's `retry_after` had not passed.
    public struct Violation: Sendable {
        public var method: String
        public var path: String
        /// The bucket's top-level resource, such as `channel:123`, or `global`.
        public var bucket: String
        public var at: Date
        /// Seconds the caller should still have waited.
        public var early: Double
    }

    static let ephemeralFlag = 1 << 6
    static let componentsV2Flag = 1 << 15
}
