import AsyncHTTPClient
import ChatOpsCore
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import OutboundHTTP

/// A Slack Web API call that did not succeed, with Slack's error code (`not_in_channel` …).
public struct SlackAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var method: String
    public var code: String
    public var description: String { "\(method): \(code) (\(SlackAPIError.explain(code)))" }

    /// What an error code means for the person running the bot.
    public static func explain(_ code: String) -> String {
        switch code {
        case "not_in_channel": return "the bot is not a member of the channel: invite it, or grant chat:write.public"
        case "channel_not_found": return "the channel does not exist or the bot cannot see it"
        case "invalid_auth", "not_authed", "token_revoked", "account_inactive": return "the bot token is missing, wrong or revoked"
        case "missing_scope": return "the app lacks a scope: add it in the manifest and reinstall the app"
        case "msg_too_long": return "the message is longer than Slack accepts"
        case "ratelimited": return "rate limited by Slack"
        case "message_not_found", "cant_update_message": return "the message to update is gone or not the bot's"
        default: return "see api.slack.com/methods for this code"
        }
    }
}

/// The Slack Web API with the bot token: JSON calls that check `ok`, honour `429` + `Retry-After`,
/// retry transient failures with exponential backoff and jitter, and pace posts per channel
/// (Slack allows about one message per second per channel: api.slack.com/apis/rate-limits).
public struct SlackWebAPIClient: Sendable {
    public struct Settings: Sendable {
        /// `https://slack.com/api/` in production.
        public var baseURL: String
        public var token: String
        /// The least time between two posts or updates in one channel.
        public var channelInterval: Duration
        public var maxAttempts: Int
        /// Bounds each attempt as a whole, the answer's body included.
        public var timeout: Duration

        public init(
            baseURL: String = "https://slack.com/api/", token: String, channelInterval: Duration = .seconds(1), maxAttempts: Int = 4,
            timeout: Duration = .seconds(10)
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
            self.token = token
            self.channelInterval = channelInterval
            self.maxAttempts = maxAttempts
            self.timeout = timeout
        }
    }

    let settings: Settings
    let http: HTTPClient
    let pacer: ChannelPacer
    let retryPolicy: RetryPolicy
    let logger: Logger
    static let retryableCodes: Set<String> = ["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]

    public init(settings: Settings, http: HTTPClient = .shared, logger: Logger) {
        self.settings = settings
        self.http = http
        self.pacer = ChannelPacer(interval: settings.channelInterval)
        self.retryPolicy = RetryPolicy(maxAttempts: settings.maxAttempts)
        self.logger = logger
    }

    /// Calls a Web API method with a JSON body.
    /// - Parameters:
    ///   - method: such as `chat.postMessage`.
    ///   - body: the arguments.
    ///   - channel: paces the call in this channel when given.
    /// - Returns: the response object (with `ok: true`).
    /// - Throws: `SlackAPIError` for Slack's errors once retries are spent; transport errors likewise.
    @discardableResult
    public func call(_ method: String, _ body: JSONValue, channel: String? = nil) async throws -> JSONValue {
        if let channel { await pacer.wait(for: channel) }
        return try await send(url: settings.baseURL + method, method: method, payload: .json(body), authorized: true)
    }

    /// Calls a reading method (`conversations.history`, `conversations.replies`) with form-encoded
    /// arguments: Slack documents only `application/x-www-form-urlencoded` for them
    /// (api.slack.com/methods/conversations.replies) and drops or refuses the arguments of a JSON body.
    /// Reads are not paced: they have their own rate tier.
    /// - Returns: the response object (with `ok: true`).
    /// - Throws: as `call`.
    public func read(_ method: String, _ arguments: [String: String]) async throws -> JSONValue {
        try await send(url: settings.baseURL + method, method: method, payload: .form(arguments), authorized: true)
    }

    /// Posts to a `response_url` (no token; the URL itself is the credential).
    public func respond(to responseURL: String, _ body: JSONValue) async throws {
        _ = try await send(url: responseURL, method: "response_url", payload: .json(body), authorized: false)
    }

    /// Uploads raw bytes to a URL from `files.getUploadURLExternal`.
    public func upload(_ bytes: [UInt8], to url: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await http.exchange(request, timeout: settings.timeout, limit: .truncate(bytes: 1 << 20))
        guard response.status == .ok else { throw SlackAPIError(method: "file upload", code: "http_\(response.status.code)") }
    }

    private func send(url: String, method: String, payload: SlackRequestBody, authorized: Bool) async throws -> JSONValue {
        let bytes = try payload.bytes()
        do {
            // Slack's own refusals are decided by `attempt`; anything else thrown is a dropped connection or a timeout.
            return try await retryPolicy.run(
                isTransient: { !($0 is SlackAPIError) },
                onRetry: { _, failure, _ in
                    guard !(failure is SlackAPIError) else { return }
                    logger.warning("slack call failed; retrying", metadata: ["slack.method": "\(method)", "error": "\(failure)"])
                }
            ) { _ in
                try await attempt(url: url, method: method, contentType: payload.contentType, bytes: bytes, authorized: authorized)
            }
        } catch let error as SlackAPIError {
            let reason = SlackAPIError.explain(error.code)
            logger.error("slack call failed", metadata: ["slack.method": "\(method)", "slack.error": "\(error.code)", "reason": "\(reason)"])
            throw error
        }
    }

    /// One call: its answer, or why another attempt is worth it (429, 5xx, a retryable Slack code).
    /// Counts every failure in `chatops_slack_api_errors_total`.
    private func attempt(
        url: String, method: String, contentType: String, bytes: Data, authorized: Bool
    ) async throws -> RetryPolicy.Attempt<JSONValue> {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        if authorized { request.headers.add(name: "Authorization", value: "Bearer \(settings.token)") }
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response: HTTPExchange
        do {
            response = try await http.exchange(request, timeout: settings.timeout, limit: .fail(bytes: 4 << 20))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            record(method, "transport")
            throw error
        }
        if response.status == .tooManyRequests {
            let wait = RetryAfter.wait(in: response.headers) ?? .seconds(1)
            record(method, "ratelimited")
            logger.warning("slack rate limit", metadata: ["slack.method": "\(method)", "slack.retry_after_s": "\(wait.components.seconds)"])
            return .retry(after: wait, failure: SlackAPIError(method: method, code: "ratelimited"))
        }
        if response.status.code >= 500 {
            let code = "http_\(response.status.code)"
            record(method, code)
            return .retry(after: nil, failure: SlackAPIError(method: method, code: code))
        }
        do {
            return .success(try check(method: method, status: response.status, data: response.body))
        } catch let error as SlackAPIError where Self.retryableCodes.contains(error.code) {
            return .retry(after: nil, failure: error)
        }
    }

    private func check(method: String, status: HTTPResponseStatus, data: ByteBuffer) throws -> JSONValue {
        let object = try? JSONDecoder().decode(JSONValue.self, from: Data(data.readableBytesView))
        if method == "response_url" {
            // response_url answers 200 with `ok` (text) or a JSON error.
            guard status == .ok else { throw SlackAPIError(method: method, code: "http_\(status.code)") }
            return object ?? .object([:])
        }
        guard let object, object["ok"] == .bool(true) else {
            let code: String
            if case .string(let error)? = object?["error"] { code = error } else { code = "http_\(status.code)" }
            record(method, code)
            throw SlackAPIError(method: method, code: code)
        }
        return object
    }

    private func record(_ method: String, _ code: String) {
        Counter(label: "chatops_slack_api_errors_total", dimensions: [("method", method), ("error", code)]).increment()
    }
}
