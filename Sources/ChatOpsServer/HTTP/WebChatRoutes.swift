import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The local web chat's HTTP API.
///
/// - `POST /chat/messages` `{"text", "channel"?, "thread"?, "id"?, "user"?}`: stores the message and
///   its job, then answers 202 with the job and message ids. A repeated `id` is not run twice.
/// - `POST /chat/actions` `{"channel", "thread"?, "action": "approve"|"reject"|"run"|"cancel", "value", "id"?, "user"?}`: a button click.
/// - `GET /chat/messages?channel=&after=&limit=`: a page of the transcript (at most `limit`, 200 by
///   default), each reply rendered as text; the next page starts after the last id.
/// - `GET /chat/events?channel=&after=`: the same entries as server-sent events, pushed as messages
///   are added or edited (`WebChatEventStream`).
///
/// Who is asking comes from `access`: with per-user tokens, the owner of the bearer token (a `user`
/// in the body must name that owner); on a loopback address without tokens, the body's `user`.
/// Groups are never taken from a request.
struct WebChatRoutes: Sendable {
    let store: any Store
    /// The store's transcript, telling the event streams of each change.
    let transcript: SignallingTranscript
    let intake: StoreIntake
    let access: WebChatAccess
    let limits: RequestLimits
    let rejections: RejectedRequests
    let logger: Logger

    struct PostedMessage: Decodable {
        var user: String?
        var text: String
        var channel: String?
        var thread: String?
        var id: String?
    }

    struct PostedAction: Decodable {
        var user: String?
        var channel: String?
        var thread: String?
        var action: ButtonAction.Kind
        var value: String
        var id: String?
    }

    struct Accepted: Encodable {
        var job: String
        var messageID: Int64?
        var thread: String?
        var duplicate: Bool

        enum CodingKeys: String, CodingKey { case job, thread, duplicate, messageID = "message_id" }
    }

    struct TranscriptEntry: Encodable {
        var id: Int64
        var channel: String
        var thread: String?
        var author: String
        var text: String
        var reply: Reply
        var createdAt: Date
        var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, channel, thread, author, text, reply
            case createdAt = "created_at", updatedAt = "updated_at"
        }

    }

    func register(on router: Router<BotRequestContext>) {
        let group = router.group("chat")
        group.post("messages") { request, _ in
            try guardBrowsers(request)
            return try await postMessage(request)
        }
        group.post("actions") { request, _ in
            try guardBrowsers(request)
            return try await postAction(request)
        }
        group.get("messages") { request, _ in
            try guardBrowsers(request)
            return try await listMessages(request)
        }
        group.get("events") { request, _ in
            try guardBrowsers(request)
            _ = try await authenticate(request)
            let after = request.uri.queryParameters.get("after").flatMap { Int64($0) }
            return try WebChatEventStream(transcript: transcript).response(channel: request.uri.queryParameters.get("channel"), after: after)
        }
    }

    private func postMessage(_ request: Request) async throws -> Response {
        let verified = try await authenticate(request)
        let body = try await JSONBody.decode(PostedMessage.self, from: request, limits: limits)
        let sender = try access.principal(verified: verified, named: body.user)
        guard !body.text.isEmpty, body.text.count <= 4_000 else {
            throw HTTPError(.badRequest, message: "`text` must have 1 to 4000 characters")
        }
        let channel = body.channel ?? "general"
        // Keys name the sender: nobody can claim another person's message id to have it dropped as a repeat.
        let deliveryID = "\(sender.userID):\(body.id ?? RandomID.make())"
        let message = try await transcript.appendMessage(
            channel: channel, thread: body.thread, author: sender.userID, reply: Reply(text: body.text),
            idempotencyKey: "user:\(deliveryID)", at: Date())
        let inbound = Inbound(
            kind: .message(text: body.text), sender: sender,
            conversation: Conversation(platform: WebChatPlatform.platformName, channel: channel, thread: body.thread),
            replyThread: String(message.id), dedupeKey: "webchat:\(deliveryID)")
        return try await accept(inbound, messageID: message.id)
    }

    private func postAction(_ request: Request) async throws -> Response {
        let verified = try await authenticate(request)
        let body = try await JSONBody.decode(PostedAction.self, from: request, limits: limits)
        let sender = try access.principal(verified: verified, named: body.user)
        guard let button = ButtonAction(payload: body.value), button.kind == body.action else {
            throw HTTPError(.badRequest, message: "value is not the payload of one of the bot's \(body.action.rawValue) buttons")
        }
        let inbound = Inbound(
            kind: .button(button), sender: sender,
            conversation: Conversation(platform: WebChatPlatform.platformName, channel: body.channel ?? "general", thread: body.thread),
            replyThread: body.thread, dedupeKey: "webchat-action:\(sender.userID):\(body.id ?? RandomID.make())")
        return try await accept(inbound, messageID: nil)
    }

    /// Stores the job, then acknowledges: nothing is acknowledged that is not durable.
    private func accept(_ inbound: Inbound, messageID: Int64?) async throws -> Response {
        let result = try await intake.keep(inbound)
        let duplicate = result.isDuplicate
        return try JSONBody.response(
            Accepted(job: result.jobID, messageID: messageID, thread: inbound.replyConversation.thread, duplicate: duplicate),
            status: .accepted)
    }

    private func listMessages(_ request: Request) async throws -> Response {
        _ = try await authenticate(request)
        let channel = request.uri.queryParameters.get("channel")
        let after = request.uri.queryParameters.get("after").flatMap { Int64($0) } ?? 0
        let limit = min(1_000, max(1, request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 200))
        let entries = try await transcript.messages(channel: channel, afterID: after, limit: limit).map(TranscriptEntry.init)
        return try JSONBody.response(entries)
    }

    /// The user the request's token belongs to (nil on a local web chat without tokens).
    /// - Throws: 401, after an audit entry and a metric, when tokens are required and this one is wrong.
    /// Other sites' pages are refused; without tokens, so are requests that name a host other than a loopback one.
    func guardBrowsers(_ request: Request) throws {
        try BrowserRequestGuard.check(request)
        if case .local = access { try LoopbackHostGuard.check(request) }
    }

    /// The owner of the request's bearer token; nil on a local web chat.
    /// - Throws: 401 (recorded) when tokens are configured and the request has none that is valid.
    func authenticate(_ request: Request) async throws -> String? {
        guard case .tokens = access else { return nil }
        let presented = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : "" } ?? ""
        if let user = access.user(presenting: presented) { return user }
        await rejections.record(platform: WebChatPlatform.platformName, path: request.uri.path, reason: presented.isEmpty ? "no_token" : "bad_token")
        throw HTTPError(.unauthorized, message: "missing or wrong bearer token")
    }
}

extension WebChatRoutes.TranscriptEntry {
    /// The bot's replies carry their text rendered as the console shows it.
    init(_ message: TranscriptMessage) {
        self.init(
            id: message.id, channel: message.channel, thread: message.thread, author: message.author,
            text: message.author == WebChatPlatform.botAuthor ? ConsoleRenderer.render(message.reply) : message.reply.text,
            reply: message.reply, createdAt: message.createdAt, updatedAt: message.updatedAt)
    }
}
