import ChatOpsCore
import Foundation
import Hummingbird
import LocalServer

/// A local stand-in for Discord's REST API v10 that records what the bot sent. It follows the pages of
/// discord-api-docs (github.com/discord/discord-api-docs, under developers/) and the project's PLATFORMS.md §2 with its
/// facts checked on 2026-11-30:
/// - resources/message.mdx, Create Message and Edit Message: the message object; `content` up to 2,000 characters;
///   `nonce` (up to 25 characters) with `enforce_nonce`, which returns the author's earlier message with that nonce;
///   an edit replaces the fields it names (`null` clears one) and keeps the attachments its `attachments` lists;
/// - reference.mdx, Uploading Files: `multipart/form-data` with `payload_json` and `files[n]` parts;
/// - resources/channel.mdx, Start Thread from Message: the thread's id is the message's, one thread per message;
/// - interactions/receiving-and-responding.mdx, Followup Messages, and resources/webhook.mdx: `@original`, follow-ups
///   (the first after a deferral edits the loading message), tokens valid 15 minutes, no bot token, no global limit;
/// - interactions/application-commands.mdx: bulk overwrite of global and guild commands;
/// - topics/rate-limits.mdx: the `X-RateLimit-*` headers, 429 bodies and scopes (see `DiscordAPIDouble+RateLimits.swift`);
/// - topics/opcodes-and-status-codes.mdx: errors as `{"message", "code"}` (0, 10008, 10015, 50001, 50006, 50027, 50035,
///   50109, 160004), `Invalid Form Body` with per-field `errors`, and 502 when no gateway is available.
///
/// Every channel id exists; a thread is a channel. Message ids are snowflakes, always increasing. Not served: GET and
/// DELETE of messages (405), the interaction callback route, and forum channels.
public final class DiscordAPIDouble: @unchecked Sendable {
    /// The bot token the channel and command routes take as `Authorization: Bot <token>`.
    public let token: String
    /// The application's id, which is also its bot user's.
    public let applicationID: String
    /// Requests one rate-limit bucket admits per window, and the window in seconds.
    public let bucketLimit: Int
    public let bucketWindow: Double
    public private(set) var port = 0
    let lock = NSLock()
    var state = State()

    public init(token: String = "discord-bot-token", applicationID: String = "1100000000000000001", bucketLimit: Int = 5, bucketWindow: Double = 5) {
        self.token = token
        self.applicationID = applicationID
        self.bucketLimit = bucketLimit
        self.bucketWindow = bucketWindow
    }

    /// Where the bot's Discord client should point instead of `https://discord.com/api/v10`.
    public var baseURL: String { "http://127.0.0.1:\(port)/api/v10" }

    /// Runs `body` with a double listening on a free loopback port.
    public static func run<T: Sendable>(
        token: String = "discord-bot-token", applicationID: String = "1100000000000000001", bucketLimit: Int = 5, bucketWindow: Double = 5,
        _ body: @Sendable (DiscordAPIDouble) async throws -> T
    ) async throws -> T {
        let double = DiscordAPIDouble(token: token, applicationID: applicationID, bucketLimit: bucketLimit, bucketWindow: bucketWindow)
        return try await LocalServer.run(double.router()) { port in
            double.port = port
            return try await body(double)
        }
    }

    @discardableResult
    func withState<T>(_ body: (inout State) throws -> T) rethrows -> T {
        try lock.withLock { try body(&state) }
    }

    // MARK: What tests read

    /// Every request, in order.
    public var recorded: [Call] { withState { $0.calls } }

    /// The requests whose path (after `/api/v10`) matches `pattern`, where a `*` segment matches any one segment.
    public func calls(matching pattern: String, method: String? = nil) -> [Call] {
        recorded.filter { Self.matches(pattern, method: method, $0.path, $0.method) }
    }

    /// The messages in a channel (or thread), oldest first, as they stand after every edit.
    public func messages(in channel: String) -> [Message] { withState { $0.messages.filter { $0.channelID == channel } } }

    public func message(id: String) -> Message? { withState { $0.messages.first { $0.id == id } } }

    /// Threads started from messages, oldest first.
    public var threads: [ThreadChannel] { withState { $0.threads } }

    /// Files received as `files[n]` parts, in order.
    public var uploadedFiles: [UploadedFile] { withState { $0.uploads } }

    /// Calls made while their bucket was empty or a 429's wait had not passed.
    public var violations: [Violation] { withState { $0.violations } }

    /// The commands last registered globally (`guild` nil) or in a guild.
    public func commands(guild: String? = nil) -> [JSONValue] { withState { $0.commands[guild ?? ""] ?? [] } }

    // MARK: What tests arrange

    /// Makes `token` an open interaction token, as if the bot had just answered that interaction.
    /// - Parameters:
    ///   - message: the message a clicked component sits on; `@original` then names it (an answer of type 6 or 7).
    ///     Without it the interaction was deferred (type 5): `@original` is the loading message, made on first use,
    ///     and the first follow-up edits it instead of posting a new message.
    ///   - ephemeral: whether the deferral carried the EPHEMERAL flag (64), which its message keeps.
    public func openInteraction(token: String, channel: String, message: String? = nil, ephemeral: Bool = false) {
        withState { $0.interactions[token] = Interaction(channel: channel, original: message, loading: message == nil, ephemeral: ephemeral) }
    }

    /// Ends the token's 15 minutes: its routes then answer 401 `Invalid Webhook Token` (50027).
    public func expireInteraction(token: String) {
        withState { $0.interactions[token]?.expired = true }
    }

    /// The next call matching `path` (a pattern as in `calls(matching:)`) answers 429 with `retry_after` seconds; until
    /// they pass, its bucket (or, when `global`, every route but the interaction webhooks) stays empty.
    public func rateLimitNext(path: String, method: String? = nil, retryAfter: Double = 0.4, global: Bool = false) {
        withState { $0.pendingRateLimits.append(PendingRateLimit(pattern: path, method: method, retryAfter: retryAfter, global: global)) }
    }

    /// The next `times` calls matching `path` answer `status` (502 or 503), with no rate-limit headers, as a proxy would.
    public func failNext(path: String, method: String? = nil, times: Int = 1, status: Int = 502) {
        guard times > 0 else { return }
        withState { $0.pendingFailures.append(PendingFailure(pattern: path, method: method, remaining: times, status: status)) }
    }
}
