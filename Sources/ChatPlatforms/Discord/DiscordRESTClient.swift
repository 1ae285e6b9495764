import AsyncHTTPClient
import ChatOpsCore
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import OutboundHTTP

/// Discord's REST API (discord.com/developers/docs/reference): JSON calls, or `multipart/form-data`
/// with a file, with the bot token, except on the interaction routes (`/webhooks/{app}/{token}…`,
/// `/interactions/…`), where the token in the path is the credential. A 429 waits as long as
/// Discord asks, 5xx and dropped connections are retried with backoff, other refusals throw
/// `DiscordAPIError`. Writes are paced per channel, thread or interaction, and calls wait while
/// `DiscordRateLimits` knows their bucket to be empty.
public struct DiscordRESTClient: Sendable {
    public struct Settings: Sendable {
        /// `https://discord.com/api/v10` in production.
        public var baseURL: String
        public var token: String
        public var applicationID: String
        /// The least time between two writes in one channel, thread or interaction.
        public var channelInterval: Duration
        /// Bounds each attempt as a whole, the answer's body included.
        public var timeout: Duration
        public var maxAttempts: Int

        public init(
            baseURL: String = "https://discord.com/api/v10", token: String, applicationID: String, channelInterval: Duration = .seconds(1),
            timeout: Duration = .seconds(10), maxAttempts: Int = 4
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.token = token
            self.applicationID = applicationID
            self.channelInterval = channelInterval
            self.timeout = timeout
            self.maxAttempts = maxAttempts
        }
    }

    public enum Method: String, Sendable { case GET, POST, PATCH, PUT, DELETE }

    /// A file sent with a message.
    public struct File: Sendable, Equatable {
        public var name: String
        public var contentType: String
        public var bytes: [UInt8]

        public init(name: String, contentType: String = "text/plain; charset=utf-8", bytes: [UInt8]) {
            self.name = name
            self.contentType = contentType
            self.bytes = bytes
        }
    }

    /// Discord asks every client to name itself this way (`DiscordBot ($url, $version)`).
    static let userAgent = "DiscordBot (https://github.com/chatops/chatops, 1.0)"

    public let settings: Settings
    let http: HTTPClient
    let pacer: ChannelPacer
    let limits: DiscordRateLimits
    let retryPolicy: RetryPolicy
    let logger: Logger

    public init(settings: Settings, http: HTTPClient = .shared, logger: Logger) {
        self.settings = settings
        self.http = http
        self.pacer = ChannelPacer(interval: settings.channelInterval)
        self.limits = DiscordRateLimits()
        self.retryPolicy = RetryPolicy(maxAttempts: settings.maxAttempts)
        self.logger = logger
    }

    /// Calls a route.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - path: below the base URL, such as `/channels/123/messages`.
    ///   - json: the body.
    ///   - file: sent with the body as `multipart/form-data` when given.
    /// - Returns: the answer's JSON; nil for an answer without a body (204).
    /// - Throws: `DiscordAPIError` for Discord's refusals once retries are spent; transport errors likewise.
    @discardableResult
    public func send(_ method: Method, _ path: String, json: JSONValue? = nil, file: File? = nil) async throws -> JSONValue? {
        let route = DiscordRateLimits.route(method: method.rawValue, path: path)
        let request = try makeRequest(method, path, json: json, file: file)
        // Posts in one channel are spaced out; an interaction's callback answers one person within
        // Discord's 3 seconds and is never held back behind another's.
        if method != .GET, !path.hasPrefix("/interactions/") { await pacer.wait(for: DiscordRateLimits.major(of: route)) }
        do {
            return try await retryPolicy.run(
                isTransient: { !($0 is DiscordAPIError) },
                onRetry: { _, failure, wait in
                    logger.warning(
                        "discord call failed; retrying", metadata: ["discord.route": "\(route)", "error": "\(failure)", "wait": "\(wait)"])
                }
            ) { _ in
                try await attempt(request, route: route)
            }
        } catch let error as DiscordAPIError {
            logger.error(
                "discord call failed", metadata: ["discord.route": "\(route)", "discord.code": "\(error.code)", "reason": "\(error.explanation)"])
            throw error
        }
    }

    private func makeRequest(_ method: Method, _ path: String, json: JSONValue?, file: File?) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: settings.baseURL + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        if !Self.isInteractionRoute(path) { request.headers.add(name: "Authorization", value: "Bot \(settings.token)") }
        if let file {
            let form = try DiscordMultipart(payload: json ?? .object([:]), file: file)
            request.headers.add(name: "Content-Type", value: form.contentType)
            request.body = .bytes(ByteBuffer(bytes: form.bytes))
        } else if let json {
            let bytes = try json.data()
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        return request
    }

    /// The routes where the token in the path is the credential, and the bot token is not sent.
    static func isInteractionRoute(_ path: String) -> Bool {
        path.hasPrefix("/webhooks/") || path.hasPrefix("/interactions/")
    }

    /// One call: its answer, or why another attempt is worth it (429, 5xx).
    private func attempt(_ request: HTTPClientRequest, route: String) async throws -> RetryPolicy.Attempt<JSONValue?> {
        try await limits.waitForTurn(route)
        let response: HTTPExchange
        do {
            response = try await http.exchange(request, timeout: settings.timeout, limit: .fail(bytes: 4 << 20))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            record(status: "transport", code: 0)
            throw error
        }
        let status = Int(response.status.code)
        var answer: JSONValue?
        if response.body.readableBytes > 0 { answer = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView)) }
        let report = Self.report(status: status, headers: response.headers, answer: answer)
        await limits.record(report, for: route)
        if (200..<300).contains(status) { return .success(answer) }
        let error = DiscordAPIError(route: route, status: status, code: answer?["code"]?.int ?? 0, message: answer?["message"]?.string ?? "")
        record(status: String(status), code: error.code)
        if status == 429 { return .retry(after: report.retryAfter ?? .seconds(1), failure: error) }
        if status >= 500 { return .retry(after: nil, failure: error) }
        throw error
    }

    /// What an answer says about the limits: the bucket headers, and for a 429 the JSON `retry_after`
    /// (fractional seconds; the `Retry-After` header is rounded to whole seconds) and `global`.
    static func report(status: Int, headers: HTTPHeaders, answer: JSONValue?) -> DiscordRateLimits.Report {
        func seconds(_ value: Double?) -> Duration? {
            guard let value, value.isFinite, value >= 0 else { return nil }
            return .milliseconds(Int((min(value, 86_400) * 1000).rounded(.up)))
        }
        var report = DiscordRateLimits.Report(
            bucket: headers.first(name: "X-RateLimit-Bucket"), remaining: headers.first(name: "X-RateLimit-Remaining").flatMap(Int.init),
            resetAfter: seconds(headers.first(name: "X-RateLimit-Reset-After").flatMap(Double.init)))
        if status == 429 {
            report.retryAfter = seconds(answer?["retry_after"]?.number) ?? RetryAfter.wait(in: headers)
            report.isGlobal =
                answer?["global"] == .bool(true) || headers.first(name: "X-RateLimit-Global")?.lowercased() == "true"
                || headers.first(name: "X-RateLimit-Scope") == "global"
        }
        return report
    }

    private func record(status: String, code: Int) {
        Counter(label: "chatops_discord_api_errors_total", dimensions: [("status", status), ("code", String(code))]).increment()
    }
}
