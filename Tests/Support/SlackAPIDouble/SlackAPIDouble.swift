import ChatOpsCore
import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import LocalServer
import NIOCore

/// A local stand-in for Slack's Web API, faithful to its documented behaviour, that records what
/// the bot sent. Followed references: api.slack.com/web (HTTP 200 with `{"ok":false,"error":…}` for
/// errors, `application/json; charset=utf-8`), api.slack.com/apis/rate-limits (HTTP 429 with
/// `Retry-After` in seconds), api.slack.com/methods/chat.postMessage and chat.update (responses with
/// `channel` and `ts`; `not_in_channel`, `channel_not_found`, `invalid_auth`, `message_not_found`),
/// api.slack.com/messaging/files#uploading_files (getUploadURLExternal → upload → completeUploadExternal),
/// api.slack.com/interactivity/handling#message_responses (`response_url`), docs.slack.dev/messaging/message-metadata
/// (`metadata` kept with the message; `invalid_metadata_format`), and conversations.history and
/// conversations.replies (see `SlackAPIDouble+Conversations.swift`), and usergroups.users.list
/// (`SlackAPIDouble+UserGroups.swift`).
///
/// It knows only the messages the bot posted; their `ts` are the current Unix time in microseconds,
/// always increasing, as Slack's are.
public final class SlackAPIDouble: @unchecked Sendable {
    /// One recorded request.
    public struct Call: Sendable {
        public var method: String
        /// The JSON body, or a form-encoded body's fields as strings.
        public var body: JSONValue
        public var authorization: String?
        /// The `ts` the double gave a posted message.
        public var ts: String?
    }

    public let token: String
    public private(set) var port = 0
    let lock = NSLock()
    private var calls: [Call] = []
    private var uploads: [String: [UInt8]] = [:]
    private var pendingRateLimits: [(method: String, retryAfter: Int)] = []
    private var pendingServerErrors: [String: Int] = [:]
    /// Posted messages, oldest first.
    var stored: [StoredMessage] = []
    /// Members of user groups, by group id (`setUserGroup`).
    var userGroups: [String: [String]] = [:]
    private var counter = 0
    private var lastMicroseconds = 0
    /// Channels the bot is not a member of (`not_in_channel`).
    public var outsideChannels: Set<String> = []

    public init(token: String = "xoxb-test-token") {
        self.token = token
    }

    public var baseURL: String { "http://127.0.0.1:\(port)/api/" }
    /// A `response_url` served by the double.
    public func responseURL(_ id: String) -> String { "http://127.0.0.1:\(port)/response/\(id)" }

    /// Everything recorded, in order.
    public var recorded: [Call] { lock.withLock { calls } }
    public func calls(_ method: String) -> [Call] { recorded.filter { $0.method == method } }
    public func uploadedFile(_ id: String) -> [UInt8]? { lock.withLock { uploads[id] } }

    /// The next call of `method` answers 429 with `Retry-After: seconds`.
    public func rateLimitNext(_ method: String, retryAfter seconds: Int) {
        lock.withLock { pendingRateLimits.append((method, seconds)) }
    }

    /// The next `count` calls of `method` answer HTTP 503.
    public func failNext(_ method: String, times count: Int) {
        lock.withLock { pendingServerErrors[method] = count }
    }

    /// Runs `body` with the double listening on a free loopback port.
    public static func run<T: Sendable>(token: String = "xoxb-test-token", _ body: @Sendable (SlackAPIDouble) async throws -> T) async throws -> T {
        let double = SlackAPIDouble(token: token)
        return try await LocalServer.run(double.router()) { port in
            double.port = port
            return try await body(double)
        }
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("api/:method") { request, context in
            try await self.api(request, method: context.parameters.get("method") ?? "")
        }
        router.post("upload/:file") { request, context in
            var request = request
            let bytes = Array(try await request.collectBody(upTo: 16 << 20).readableBytesView)
            let file = context.parameters.get("file") ?? ""
            self.lock.withLock { self.uploads[file] = bytes }
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "OK - \(bytes.count)")))
        }
        router.post("response/:id") { request, _ in
            var request = request
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(try await request.collectBody(upTo: 1 << 20).readableBytesView))
            self.lock.withLock { self.calls.append(Call(method: "response_url", body: body, authorization: nil)) }
            return Response(status: .ok, headers: [.contentType: "text/html"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        }
        return router
    }

    private func api(_ request: Request, method: String) async throws -> Response {
        var request = request
        let data = Data(try await request.collectBody(upTo: 1 << 20).readableBytesView)
        let form = request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true
        let body: JSONValue
        if form {
            body = .object(FormURLEncoded.decode(String(decoding: data, as: UTF8.self)).mapValues { JSONValue.string($0) })
        } else {
            body = (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .object([:])
        }
        let authorization = request.headers[.authorization]
        let (limited, failure) = lock.withLock { () -> (Int?, Bool) in
            calls.append(Call(method: method, body: body, authorization: authorization))
            if let index = pendingRateLimits.firstIndex(where: { $0.method == method }) {
                return (pendingRateLimits.remove(at: index).retryAfter, false)
            }
            if let remaining = pendingServerErrors[method], remaining > 0 {
                pendingServerErrors[method] = remaining - 1
                return (nil, true)
            }
            return (nil, false)
        }
        if let limited {
            return json(["ok": false, "error": "ratelimited"], status: .tooManyRequests, extra: [HTTPField.Name("Retry-After")!: "\(limited)"])
        }
        if failure { return Response(status: .serviceUnavailable) }
        guard authorization == "Bearer \(token)" else { return json(["ok": false, "error": "invalid_auth"]) }
        switch method {
        case "chat.postMessage":
            guard let channel = body["channel"]?.string else { return json(["ok": false, "error": "channel_not_found"]) }
            if outsideChannels.contains(channel) { return json(["ok": false, "error": "not_in_channel"]) }
            let metadata = body["metadata"].flatMap(Self.validMetadata)
            if body["metadata"] != nil, metadata == nil { return json(["ok": false, "error": "invalid_metadata_format"]) }
            let ts = lock.withLock { () -> String in
                let ts = nextTS()
                stored.append(StoredMessage(channel: channel, ts: ts, threadTS: body["thread_ts"]?.string, content: body, metadata: metadata))
                if let last = calls.lastIndex(where: { $0.method == method && $0.ts == nil }) { calls[last].ts = ts }
                return ts
            }
            return json(["ok": true, "channel": .string(channel), "ts": .string(ts), "message": body])
        case "chat.update":
            let channel = body["channel"]?.string ?? ""
            let ts = body["ts"]?.string ?? ""
            let updated = lock.withLock { () -> Bool in
                guard let index = stored.firstIndex(where: { $0.channel == channel && $0.ts == ts }) else { return false }
                // Arguments left out keep their value; so does the metadata (chat.update's reference).
                var content = stored[index].content.object ?? [:]
                for (key, value) in body.object ?? [:] { content[key] = value }
                stored[index].content = .object(content)
                if let metadata = body["metadata"].flatMap(Self.validMetadata) { stored[index].metadata = metadata }
                return true
            }
            guard updated else { return json(["ok": false, "error": "message_not_found"]) }
            return json(["ok": true, "channel": body["channel"] ?? .null, "ts": body["ts"] ?? .null, "text": body["text"] ?? .null])
        case "conversations.history", "conversations.replies":
            // Both take form-encoded arguments only (api.slack.com/methods/conversations.replies);
            // Slack answers a JSON body as if its arguments were missing.
            guard form else { return json(["ok": false, "error": "invalid_arguments"]) }
            return json(method == "conversations.history" ? history(body) : replies(body))
        case "usergroups.users.list":
            return json(usersInGroup(body, form: form))
        case "files.getUploadURLExternal":
            let file = lock.withLock { () -> String in
                counter += 1
                return "F\(counter)"
            }
            return json(["ok": true, "upload_url": .string("http://127.0.0.1:\(port)/upload/\(file)"), "file_id": .string(file)])
        case "files.completeUploadExternal":
            return json(["ok": true, "files": body["files"] ?? .array([])])
        default:
            return json(["ok": false, "error": "unknown_method"])
        }
    }

    /// A new `ts`: the current time in microseconds, later than every earlier one. Call with the lock held.
    private func nextTS() -> String {
        let now = Int(Date().timeIntervalSince1970 * 1_000_000)
        lastMicroseconds = max(now, lastMicroseconds + 1)
        return "\(lastMicroseconds / 1_000_000)." + String(format: "%06d", lastMicroseconds % 1_000_000)
    }

    /// Message metadata as Slack accepts it: an object (or its JSON text) with a string `event_type`
    /// and an object `event_payload`.
    static func validMetadata(_ value: JSONValue) -> JSONValue? {
        var value = value
        if case .string(let text) = value {
            guard let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
            value = parsed
        }
        guard value["event_type"]?.string != nil, value["event_payload"]?.object != nil else { return nil }
        return value
    }

    /// Every message the bot posted, as it reads now (after its updates), oldest first.
    public var messages: [(channel: String, ts: String, text: String)] {
        lock.withLock { stored.map { ($0.channel, $0.ts, $0.content["text"]?.string ?? "") } }
    }

    /// The current content of a message the bot posted.
    public func message(channel: String, ts: String) -> JSONValue? {
        lock.withLock { stored.first { $0.channel == channel && $0.ts == ts }?.content }
    }

    /// The metadata Slack keeps with a message the bot posted.
    public func metadata(channel: String, ts: String) -> JSONValue? {
        lock.withLock { stored.first { $0.channel == channel && $0.ts == ts }?.metadata }
    }

    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: (try? value.data()) ?? Data())))
    }
}
