import ChatOpsCore
import Crypto
import Foundation

/// Discord's rate limits as its answers report them (discord.com/developers/docs/topics/rate-limits):
/// each route belongs to a bucket (`X-RateLimit-Bucket`), counted per major parameter (the channel,
/// the guild, the webhook and its token); `X-RateLimit-Remaining` and `X-RateLimit-Reset-After`
/// say how many calls are left and when the count starts again. A call is held while its bucket is
/// known to be empty, so the bot does not spend requests on certain refusals (too many refusals get
/// the bot's address banned for a while), and a global 429 holds every route.
public actor DiscordRateLimits {
    /// What one answer said about the limits.
    public struct Report: Sendable, Equatable {
        public var bucket: String?
        public var remaining: Int?
        public var resetAfter: Duration?
        /// For a 429: how long to wait, and whether the limit is the bot's global one.
        public var retryAfter: Duration?
        public var isGlobal: Bool

        public init(bucket: String? = nil, remaining: Int? = nil, resetAfter: Duration? = nil, retryAfter: Duration? = nil, isGlobal: Bool = false) {
            self.bucket = bucket
            self.remaining = remaining
            self.resetAfter = resetAfter
            self.retryAfter = retryAfter
            self.isGlobal = isGlobal
        }
    }

    private struct Count {
        var remaining: Int
        var resetAt: ContinuousClock.Instant
    }

    /// Remembered counts and routes beyond this are forgotten (relearned from the next answers).
    static let capacity = 1_000
    private let clock = ContinuousClock()
    private var bucketOfRoute: [String: String] = [:]
    private var counts: [String: Count] = [:]
    private var globalUntil: ContinuousClock.Instant?

    public init() {}

    /// Waits while the route's bucket is known to be empty or a global limit holds, then counts the call.
    public func waitForTurn(_ route: String) async throws {
        while let wait = delay(for: route, at: clock.now) {
            try await Task.sleep(for: wait)
        }
        let key = countKey(route)
        if var count = counts[key] {
            count.remaining -= 1
            counts[key] = count
        }
    }

    /// Notes what an answer to a call on `route` said.
    public func record(_ report: Report, for route: String) {
        let now = clock.now
        if report.isGlobal, let wait = report.retryAfter {
            globalUntil = now + wait
            return
        }
        if bucketOfRoute.count > Self.capacity { bucketOfRoute.removeAll() }
        if counts.count > Self.capacity { counts = counts.filter { $0.value.resetAt > now } }
        if let bucket = report.bucket { bucketOfRoute[route] = bucket }
        let key = countKey(route)
        if let wait = report.retryAfter {
            counts[key] = Count(remaining: 0, resetAt: now + wait)
        } else if let remaining = report.remaining, let resetAfter = report.resetAfter {
            counts[key] = Count(remaining: remaining, resetAt: now + resetAfter)
        }
    }

    /// How long a call on `route` must wait at `now`; nil when it may go.
    func delay(for route: String, at now: ContinuousClock.Instant) -> Duration? {
        if let globalUntil, globalUntil > now { return globalUntil - now }
        guard let count = counts[countKey(route)], count.resetAt > now else { return nil }
        return count.remaining <= 0 ? count.resetAt - now : nil
    }

    /// The bucket's count for the route's major parameter; the route itself until Discord names the bucket.
    private func countKey(_ route: String) -> String {
        guard let bucket = bucketOfRoute[route] else { return route }
        return bucket + " " + Self.major(of: route)
    }

    /// `POST /channels/123/messages/{id}/threads`: the method and the path, with the major parameter
    /// kept (a channel or guild id; a webhook's or an interaction's id and its token, the token as a digest) and other ids
    /// as `{id}`. The query is left out.
    public static func route(method: String, path: String) -> String {
        let segments = (path.split(separator: "?", maxSplits: 1).first ?? "").split(separator: "/").map(String.init)
        var kept: [String] = []
        for (index, segment) in segments.enumerated() {
            let previous = index > 0 ? segments[index - 1] : ""
            let beforePrevious = index > 1 ? segments[index - 2] : ""
            if index == 1, ["channels", "guilds", "webhooks", "interactions"].contains(previous) {
                kept.append(segment)
            } else if index == 2, ["webhooks", "interactions"].contains(beforePrevious) {
                kept.append("t:" + digest(segment))
            } else {
                kept.append(segment.allSatisfy(\.isNumber) && !segment.isEmpty ? "{id}" : segment)
            }
        }
        return "\(method) /" + kept.joined(separator: "/")
    }

    /// The major parameter of a route: its first two path segments (`channels/123`), three for a webhook.
    static func major(of route: String) -> String {
        let path = route.split(separator: " ", maxSplits: 1).last ?? ""
        let segments = path.split(separator: "/")
        return segments.prefix(segments.first == "webhooks" ? 3 : 2).joined(separator: "/")
    }

    /// A short digest of a token, so routes neither hold nor log it.
    static func digest(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)).prefix(6))
    }
}
