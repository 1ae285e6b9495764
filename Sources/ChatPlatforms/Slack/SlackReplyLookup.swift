import ChatOpsCore
import Foundation

/// Finds a reply the bot already posted by the idempotency key it carries as message metadata
/// (docs.slack.dev/messaging/message-metadata), so that a job retried after a crash between
/// `chat.postMessage` and recording the delivery does not post a second message.
///
/// It reads one bounded page: `conversations.replies` in a thread, `conversations.history` at the
/// top level (newest first), with `include_all_metadata=true` (without it Slack leaves the metadata
/// out), only messages since shortly before the interrupted attempt, and at most `limit` of them.
/// Both methods need the `*:history` scopes (`channels:history`, `groups:history`, `im:history`),
/// which the manifest requests.
struct SlackReplyLookup: Sendable {
    /// The metadata event type of every reply the bot posts.
    static let eventType = "chatops_reply"

    let client: SlackWebAPIClient
    /// The most messages one lookup reads.
    var limit = 50
    /// How long before the interrupted attempt to start looking, for clock skew between this host and Slack.
    var skew: TimeInterval = 60

    /// The `metadata` argument of `chat.postMessage` for a reply with this key.
    static func metadata(key: String) -> JSONValue {
        ["event_type": .string(eventType), "event_payload": ["key": .string(key)]]
    }

    /// - Parameters:
    ///   - key: the reply's idempotency key.
    ///   - conversation: where it was posted (in its thread, if it has one).
    ///   - attempt: when the interrupted attempt to post it began.
    /// - Returns: the `ts` of the message carrying the key, if Slack has one.
    /// - Throws: `SlackAPIError` (`not_in_channel`, `missing_scope`, `thread_not_found` …) and transport errors.
    func find(key: String, in conversation: Conversation, since attempt: Date) async throws -> String? {
        var arguments = [
            "channel": conversation.channel, "include_all_metadata": "true", "limit": String(limit),
            "oldest": Self.timestamp(attempt.addingTimeInterval(-skew)), "inclusive": "true",
        ]
        let method: String
        if let thread = conversation.thread {
            method = "conversations.replies"
            arguments["ts"] = thread
        } else {
            method = "conversations.history"
        }
        let response = try await client.read(method, arguments)
        let match = response["messages"]?.array?.first { message in
            message[path: ["metadata", "event_type"]]?.string == Self.eventType
                && message[path: ["metadata", "event_payload", "key"]]?.string == key
        }
        return match?["ts"]?.string
    }

    /// A Slack timestamp (`1712345678.000100`) for a moment.
    static func timestamp(_ date: Date) -> String {
        String(format: "%.6f", max(0, date.timeIntervalSince1970))
    }
}
