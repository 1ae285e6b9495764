import ChatOpsCore
import Foundation

/// What a verified Slack request asks of the bot.
public enum SlackRequest: Sendable, Equatable {
    /// Events API `url_verification`: answer with the challenge.
    case challenge(String)
    /// Something to run: store it as a job, then acknowledge.
    case inbound(Inbound)
    /// Nothing to do (bot messages, thread chatter, `ssl_check`, unsupported types); acknowledge.
    case ignore(reason: String)
}

/// A request that is signed but cannot be read.
public struct SlackDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

/// Turns Slack's three kinds of request (slash commands, Events API, interactivity) into
/// platform-neutral inbounds. Payload shapes: api.slack.com/interactivity/slash-commands,
/// api.slack.com/apis/connections/events-api, api.slack.com/reference/interaction-payloads/block-actions.
public enum SlackInboundDecoder {
    public static let platform = "slack"

    /// A slash command (form-encoded). The command name and its text become the message text.
    public static func slashCommand(body: String, receivedAt: Date = Date()) throws(SlackDecodingError) -> SlackRequest {
        try slashCommand(form: FormURLEncoded.decode(body), receivedAt: receivedAt)
    }

    /// A slash command whose form is decoded already (the request URL decodes it once, for `ssl_check`).
    public static func slashCommand(form: [String: String], receivedAt: Date = Date()) throws(SlackDecodingError) -> SlackRequest {
        if form["ssl_check"] == "1" { return .ignore(reason: "ssl_check") }
        guard let command = form["command"], let user = form["user_id"], let channel = form["channel_id"] else {
            throw SlackDecodingError(description: "a slash command needs command, user_id and channel_id")
        }
        let deliveryID = form["trigger_id"] ?? "\(user):\(command):\(form["text"] ?? ""):\(receivedAt.timeIntervalSince1970)"
        let inbound = Inbound(
            kind: .message(text: "\(command) \(form["text"] ?? "")"),
            sender: Principal(platform: platform, userID: user, displayName: form["user_name"]),
            conversation: Conversation(platform: platform, channel: channel, replyToken: form["response_url"]),
            dedupeKey: "slack:command:\(deliveryID)", receivedAt: receivedAt)
        return .inbound(inbound)
    }

    /// An Events API delivery (JSON): `url_verification`, `app_mention`, and `message` replies in threads.
    public static func event(body: Data, receivedAt: Date = Date()) throws(SlackDecodingError) -> SlackRequest {
        let envelope: EventEnvelope
        do { envelope = try JSONDecoder().decode(EventEnvelope.self, from: body) } catch {
            throw SlackDecodingError(description: "not a Slack event: \(error)")
        }
        if envelope.type == "url_verification", let challenge = envelope.challenge { return .challenge(challenge) }
        guard envelope.type == "event_callback", let event = envelope.event, let eventID = envelope.eventID else {
            return .ignore(reason: "envelope type \(envelope.type)")
        }
        guard event.botID == nil, event.subtype == nil, let user = event.user, let channel = event.channel, let text = event.text else {
            return .ignore(reason: "bot or system message")
        }
        switch event.type {
        case "app_mention":
            break
        case "message":
            // Mentions arrive as app_mention too; plain thread replies count only when they answer a request.
            guard event.threadTS != nil, !text.hasPrefix("<@"),
                let verb = text.split(separator: " ").first, CommandParser.answersPendingRequest(String(verb))
            else { return .ignore(reason: "thread chatter") }
        default:
            return .ignore(reason: "event type \(event.type)")
        }
        let inbound = Inbound(
            kind: .message(text: withoutLeadingMention(text)), sender: Principal(platform: platform, userID: user),
            conversation: Conversation(platform: platform, channel: channel, thread: event.threadTS),
            replyThread: event.ts, dedupeKey: "slack:event:\(eventID)", receivedAt: receivedAt)
        return .inbound(inbound)
    }

    /// An interactivity request (form field `payload` holding JSON); `block_actions` from the bot's buttons.
    public static func interaction(body: String, receivedAt: Date = Date()) throws(SlackDecodingError) -> SlackRequest {
        let raw = body.hasPrefix("{") ? body : FormURLEncoded.decode(body)["payload"] ?? ""
        let payload: InteractionPayload
        do { payload = try JSONDecoder().decode(InteractionPayload.self, from: Data(raw.utf8)) } catch {
            throw SlackDecodingError(description: "not a Slack interaction payload: \(error)")
        }
        guard payload.type == "block_actions" else { return .ignore(reason: "interaction type \(payload.type)") }
        guard let action = payload.actions?.first, let kind = ButtonAction.Kind(rawValue: action.actionID),
            let button = action.value.flatMap({ ButtonAction(payload: $0) ?? ButtonAction(kind: kind, legacyValue: $0) }), button.kind == kind
        else {
            return .ignore(reason: "not a button of the bot")
        }
        guard let channel = payload.channel?.id ?? payload.container?.channelID else {
            throw SlackDecodingError(description: "block_actions without a channel")
        }
        let messageTS = payload.container?.messageTS ?? payload.message?.ts
        let inbound = Inbound(
            kind: .button(button),
            sender: Principal(platform: platform, userID: payload.user.id, displayName: payload.user.username),
            conversation: Conversation(
                platform: platform, channel: channel, thread: payload.message?.threadTS ?? messageTS, replyToken: payload.responseURL),
            replyThread: messageTS, dedupeKey: "slack:action:\(payload.user.id):\(action.actionTS ?? payload.triggerID ?? RandomID.make())",
            receivedAt: receivedAt)
        return .inbound(inbound)
    }

    /// The text without the mention that addressed the bot (`<@U0BOT> deploy …` → `deploy …`):
    /// the parser reads commands, not Slack's mention syntax.
    static func withoutLeadingMention(_ text: String) -> String {
        let trimmed = text.drop { $0.isWhitespace }
        guard trimmed.hasPrefix("<@"), let end = trimmed.firstIndex(of: ">") else { return text }
        return String(trimmed[trimmed.index(after: end)...].drop { $0.isWhitespace || $0 == ":" || $0 == "," })
    }

    struct EventEnvelope: Decodable {
        var type: String
        var challenge: String?
        var eventID: String?
        var event: Event?
        enum CodingKeys: String, CodingKey { case type, challenge, event, eventID = "event_id" }
    }

    struct Event: Decodable {
        var type: String
        var user: String?
        var text: String?
        var channel: String?
        var ts: String?
        var threadTS: String?
        var botID: String?
        var subtype: String?
        enum CodingKeys: String, CodingKey {
            case type, user, text, channel, ts, subtype
            case threadTS = "thread_ts", botID = "bot_id"
        }
    }

    struct InteractionPayload: Decodable {
        struct User: Decodable {
            var id: String
            var username: String?
        }
        struct Channel: Decodable { var id: String }
        struct Container: Decodable {
            var messageTS: String?
            var channelID: String?
            enum CodingKeys: String, CodingKey { case messageTS = "message_ts", channelID = "channel_id" }
        }
        struct Message: Decodable {
            var ts: String?
            var threadTS: String?
            enum CodingKeys: String, CodingKey { case ts, threadTS = "thread_ts" }
        }
        struct Action: Decodable {
            var actionID: String
            var value: String?
            var actionTS: String?
            enum CodingKeys: String, CodingKey { case value, actionID = "action_id", actionTS = "action_ts" }
        }
        var type: String
        var user: User
        var channel: Channel?
        var container: Container?
        var message: Message?
        var actions: [Action]?
        var responseURL: String?
        var triggerID: String?
        enum CodingKeys: String, CodingKey {
            case type, user, channel, container, message, actions
            case responseURL = "response_url", triggerID = "trigger_id"
        }
    }
}
