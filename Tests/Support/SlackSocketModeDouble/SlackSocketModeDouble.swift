import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import LocalServer
import NIOCore

/// A local stand-in for Slack's Socket Mode, faithful to its documented behaviour, that records what
/// the bot acknowledged. Followed references: docs.slack.dev/apis/events-api/using-socket-mode (a
/// `hello` on every new connection; envelopes with `envelope_id`, `type`, `payload`,
/// `accepts_response_payload`, `retry_attempt`, `retry_reason`; acknowledgements `{"envelope_id": …}`
/// with an optional `payload`; `disconnect` with a `reason` before Slack closes a connection; an
/// unacknowledged envelope delivered again with a higher `retry_attempt`) and
/// api.slack.com/methods/apps.connections.open (POST with the app-level token in `Authorization`,
/// `{"ok":true,"url":…}`; `not_authed`, `invalid_auth`, `not_allowed_token_type`).
///
/// Each URL it hands out carries a ticket good for one connection. Envelopes the test sends go out on
/// the live connection, or on the next one; envelopes not acknowledged when a connection ends go out
/// again on the next one, with `retry_attempt` one higher and `retry_reason` set.
public final class SlackSocketModeDouble: @unchecked Sendable {
    /// One acknowledgement the bot sent.
    public struct Acknowledgement: Sendable {
        public var envelopeID: String
        public var payload: JSONValue?
        /// When the double read it.
        public var at: Date
        /// The connection it came on (1 for the first).
        public var connection: Int
    }

    /// One envelope written to the bot.
    public struct Delivery: Sendable {
        public var envelopeID: String
        public var retryAttempt: Int
        public var connection: Int
    }

    /// What the live connection is asked to do next.
    enum Command: Sendable {
        case deliver(String)
        case disconnect(reason: String)
        case drop
    }

    /// An envelope the test sent, with how often it was written and whether it was acknowledged.
    struct Pending {
        var envelope: Envelope
        var attempts = 0
        var acknowledged = false
    }

    public static let appID = "A0DOUBLE"
    public let appToken: String
    public private(set) var port = 0
    let lock = NSLock()
    var tickets: Set<String> = []
    var pending: [Pending] = []
    var acknowledged: [Acknowledgement] = []
    var written: [Delivery] = []
    var connections = 0
    var live: (number: Int, commands: AsyncStream<Command>.Continuation)?

    public init(appToken: String = "xapp-1-A0DOUBLE-1-0123456789abcdef") {
        self.appToken = appToken
    }

    /// The Web API base URL, for `slack.api_url`.
    public var baseURL: String { "http://127.0.0.1:\(port)/api/" }
    /// Every acknowledgement, in the order read.
    public var acknowledgements: [Acknowledgement] { lock.withLock { acknowledged } }
    public func acknowledgements(of envelopeID: String) -> [Acknowledgement] { acknowledgements.filter { $0.envelopeID == envelopeID } }
    /// Every envelope written, in order.
    public var deliveries: [Delivery] { lock.withLock { written } }
    /// How many connections were greeted with `hello`.
    public var connectionCount: Int { lock.withLock { connections } }
    public var isConnected: Bool { lock.withLock { live != nil } }

    /// Delivers `envelope` on the live connection, or on the next one.
    public func send(envelope: Envelope) {
        lock.withLock {
            pending.append(Pending(envelope: envelope))
            live?.commands.yield(.deliver(envelope.id))
        }
    }

    /// Sends `disconnect` with `reason` on the live connection (after what was sent before), then closes it.
    public func disconnect(reason: String = "refresh_requested") {
        lock.withLock { _ = live?.commands.yield(.disconnect(reason: reason)) }
    }

    /// Closes the live connection's TCP connection, with no message and no close frame.
    public func drop() {
        lock.withLock { _ = live?.commands.yield(.drop) }
    }

    /// Runs `body` with the double listening on a free loopback port (as `LocalServer.run` does, with
    /// the WebSocket upgrade added).
    public static func run<T: Sendable>(
        appToken: String = "xapp-1-A0DOUBLE-1-0123456789abcdef", _ body: @Sendable (SlackSocketModeDouble) async throws -> T
    ) async throws -> T {
        let double = SlackSocketModeDouble(appToken: appToken)
        return try await LocalServer.run(double.apiRouter(), webSockets: double.webSocketRouter()) { port in
            double.port = port
            return try await body(double)
        }
    }

    /// `POST /api/apps.connections.open`: a `ws://` URL to this double with a fresh ticket.
    func apiRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("api/apps.connections.open") { request, _ in
            self.open(authorization: request.headers[.authorization])
        }
        return router
    }

    private func open(authorization: String?) -> Response {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return Self.json(["ok": false, "error": "not_authed"]) }
        let token = authorization.dropFirst("Bearer ".count)
        guard token.hasPrefix("xapp-") else { return Self.json(["ok": false, "error": "not_allowed_token_type"]) }
        guard token == appToken else { return Self.json(["ok": false, "error": "invalid_auth"]) }
        let ticket = UUID().uuidString.lowercased()
        lock.withLock { _ = tickets.insert(ticket) }
        return Self.json(["ok": true, "url": .string("ws://127.0.0.1:\(port)/link?ticket=\(ticket)&app_id=\(Self.appID)")])
    }

    /// Whether `ticket` was handed out and not used yet; using it spends it.
    func redeem(_ ticket: String) -> Bool {
        lock.withLock { tickets.remove(ticket) != nil }
    }

    static func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text(value))))
    }

    static func text(_ value: JSONValue) -> String {
        (try? value.data()).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
