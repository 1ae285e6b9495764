import ChatOpsCore
import Foundation

/// A message the bot posted, as the double keeps it.
struct StoredMessage: Sendable {
    var channel: String
    var ts: String
    /// The parent's `ts` for a reply in a thread.
    var threadTS: String?
    /// The arguments of `chat.postMessage`, with those of later `chat.update` calls merged in.
    var content: JSONValue
    /// `event_type` and `event_payload`, when the message was posted with metadata.
    var metadata: JSONValue?
}

/// Reading a conversation, as docs.slack.dev/reference/methods/conversations.history and
/// docs.slack.dev/reference/methods/conversations.replies describe it:
/// - arguments `channel`, `ts` (replies: the parent's or any reply's), `oldest` and `latest`
///   (exclusive unless `inclusive`), `limit` (history: default 100, at most 999; replies: default
///   1,000), `cursor` (from `response_metadata.next_cursor`), `include_all_metadata`;
/// - answers `{"ok": true, "messages": […], "has_more": …}` plus `response_metadata.next_cursor` when
///   there is more; history lists top-level messages newest first, replies the parent first and then
///   its replies oldest first; each message has `type`, `user`, `bot_id`, `app_id`, `text`, `ts`,
///   `blocks`, `thread_ts` (and `reply_count` on a parent), and `metadata` only with
///   `include_all_metadata=true`;
/// - errors `channel_not_found` (a channel the bot never posted in), `not_in_channel`,
///   `thread_not_found`, `invalid_cursor`.
extension SlackAPIDouble {
    static let botUserID = "U0BOTDOUBLE"
    static let botID = "B0BOTDOUBLE"
    static let appID = "A0BOTDOUBLE"

    func history(_ arguments: JSONValue) -> JSONValue {
        let channel = arguments["channel"]?.string ?? ""
        if let refusal = refusal(channel: channel) { return refusal }
        let (messages, replyCounts) = lock.withLock { () -> ([StoredMessage], [String: Int]) in
            let inChannel = stored.filter { $0.channel == channel }
            let counts = Dictionary(grouping: inChannel.compactMap(\.threadTS), by: { $0 }).mapValues(\.count)
            return (Array(inChannel.filter { $0.threadTS == nil }.reversed()), counts)
        }
        let selected = messages.filter { inRange($0.ts, arguments) }
        return page(selected, arguments, defaultLimit: 100, maxLimit: 999, extra: ["pin_count": 0]) {
            render($0, replyCount: replyCounts[$0.ts] ?? 0, arguments)
        }
    }

    func replies(_ arguments: JSONValue) -> JSONValue {
        let channel = arguments["channel"]?.string ?? ""
        if let refusal = refusal(channel: channel) { return refusal }
        let ts = arguments["ts"]?.string ?? ""
        let inChannel = lock.withLock { stored.filter { $0.channel == channel } }
        let parentTS: String
        if let message = inChannel.first(where: { $0.ts == ts }) {
            parentTS = message.threadTS ?? message.ts
        } else if inChannel.contains(where: { $0.threadTS == ts }) {
            parentTS = ts  // the parent is someone else's message, unknown to the double
        } else {
            return ["ok": false, "error": "thread_not_found"]
        }
        let threadReplies = inChannel.filter { $0.threadTS == parentTS && inRange($0.ts, arguments) }
        let parent = inChannel.filter { $0.ts == parentTS }
        return page(parent + threadReplies, arguments, defaultLimit: 1_000, maxLimit: 1_000, extra: [:]) {
            render($0, replyCount: $0.ts == parentTS ? threadReplies.count : 0, arguments)
        }
    }

    private func refusal(channel: String) -> JSONValue? {
        if outsideChannels.contains(channel) { return ["ok": false, "error": "not_in_channel"] }
        let known = lock.withLock { stored.contains { $0.channel == channel } }
        return known ? nil : ["ok": false, "error": "channel_not_found"]
    }

    /// One page of `messages` after `cursor`, at most `limit` long.
    private func page(
        _ messages: [StoredMessage], _ arguments: JSONValue, defaultLimit: Int, maxLimit: Int, extra: [String: JSONValue],
        render: (StoredMessage) -> JSONValue
    ) -> JSONValue {
        let limit = min(maxLimit, max(1, arguments["limit"]?.string.flatMap { Int($0) } ?? defaultLimit))
        var start = 0
        if let cursor = arguments["cursor"]?.string, !cursor.isEmpty {
            guard let decoded = Data(base64Encoded: cursor).map({ String(decoding: $0, as: UTF8.self) }), decoded.hasPrefix("offset:"),
                let offset = Int(decoded.dropFirst("offset:".count)), offset >= 0, offset <= messages.count
            else { return ["ok": false, "error": "invalid_cursor"] }
            start = offset
        }
        let end = min(messages.count, start + limit)
        var response: [String: JSONValue] = [
            "ok": true, "messages": .array(messages[start..<end].map(render)), "has_more": .bool(end < messages.count),
        ]
        if end < messages.count {
            response["response_metadata"] = ["next_cursor": .string(Data("offset:\(end)".utf8).base64EncodedString())]
        }
        response.merge(extra) { current, _ in current }
        return .object(response)
    }

    private func render(_ message: StoredMessage, replyCount: Int, _ arguments: JSONValue) -> JSONValue {
        var rendered: [String: JSONValue] = [
            "type": "message", "user": .string(Self.botUserID), "bot_id": .string(Self.botID), "app_id": .string(Self.appID),
            "text": message.content["text"] ?? "", "ts": .string(message.ts),
        ]
        if let blocks = message.content["blocks"] { rendered["blocks"] = blocks }
        if let thread = message.threadTS {
            rendered["thread_ts"] = .string(thread)
        } else if replyCount > 0 {
            rendered["thread_ts"] = .string(message.ts)
            rendered["reply_count"] = .number(Double(replyCount))
        }
        if Self.flag(arguments["include_all_metadata"]), let metadata = message.metadata { rendered["metadata"] = metadata }
        return .object(rendered)
    }

    /// Whether `ts` lies between `oldest` and `latest` (both exclusive unless `inclusive`).
    private func inRange(_ ts: String, _ arguments: JSONValue) -> Bool {
        guard let time = Self.microseconds(ts) else { return false }
        let inclusive = Self.flag(arguments["inclusive"])
        if let oldest = arguments["oldest"]?.string.flatMap(Self.microseconds), inclusive ? time < oldest : time <= oldest { return false }
        if let latest = arguments["latest"]?.string.flatMap(Self.microseconds), inclusive ? time > latest : time >= latest { return false }
        return true
    }

    /// A boolean argument as a form carries it: `true` or `1`.
    static func flag(_ value: JSONValue?) -> Bool {
        value?.string == "true" || value?.string == "1" || value == .bool(true)
    }

    /// A Slack timestamp (`1712345678.000100`, or whole seconds) in microseconds.
    static func microseconds(_ ts: String) -> Int? {
        let parts = ts.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let seconds = Int(parts[0]) else { return nil }
        let fraction = parts.count > 1 ? String(parts[1].prefix(6)) : ""
        guard fraction.allSatisfy(\.isNumber) else { return nil }
        return seconds * 1_000_000 + (Int(fraction.padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0)
    }
}
