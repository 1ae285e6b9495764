import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird

/// One rate-limit bucket for one top-level resource: `bucketLimit` requests per window, the window starting at its first
/// request; or empty until `blockedUntil` after an arranged 429.
struct Bucket {
    var count = 0
    var resetAt: Date
    var blockedUntil: Date?

    /// The bucket as it stands at `now`: a fresh window once the last one ended, and no block once it passed.
    mutating func roll(now: Date, window: Double) {
        if now >= resetAt { (count, resetAt) = (0, now.addingTimeInterval(window)) }
        if let blockedUntil, now >= blockedUntil { self.blockedUntil = nil }
    }

    /// When the bucket admits requests again, if it is empty now.
    func emptyUntil(limit: Int) -> Date? { blockedUntil ?? (count >= limit ? resetAt : nil) }
}

/// Rate limits as topics/rate-limits.mdx has them: every admitted answer carries `X-RateLimit-Limit`, `-Remaining`,
/// `-Reset` (epoch seconds), `-Reset-After` (seconds, with decimals) and `-Bucket`; a 429 has the JSON body
/// `{"message": "You are being rate limited.", "retry_after": …, "global": …}`, `Retry-After` in whole seconds,
/// `X-RateLimit-Scope` (`user` or `global`) and, when global, `X-RateLimit-Global: true` without the route's headers.
/// A call to an empty bucket, or inside a global 429's wait, is answered 429 and recorded as a violation.
extension DiscordAPIDouble {
    enum Admission {
        case admitted(HTTPFields)
        case refused(Response)
    }

    func admit(_ route: Route, bucket: (key: String, id: String), method: String, path: String) -> Admission {
        let now = Date()
        return withState { state -> Admission in
            var current = state.buckets[bucket.key] ?? Bucket(resetAt: now.addingTimeInterval(bucketWindow))
            current.roll(now: now, window: bucketWindow)
            defer { state.buckets[bucket.key] = current }
            if let index = state.pendingRateLimits.firstIndex(where: { Self.matches($0.pattern, method: $0.method, path, method) }) {
                let arranged = state.pendingRateLimits.remove(at: index)
                let until = now.addingTimeInterval(arranged.retryAfter)
                if arranged.global {
                    state.globalBlockedUntil = until
                    return .refused(Self.rateLimited(retryAfter: arranged.retryAfter, global: true, headers: [:]))
                }
                current.blockedUntil = until
                let headers = limitHeaders(current, id: bucket.id, now: now)
                return .refused(Self.rateLimited(retryAfter: arranged.retryAfter, global: false, headers: headers))
            }
            if !route.isInteractionWebhook, let until = state.globalBlockedUntil, now < until {
                let wait = until.timeIntervalSince(now)
                state.violations.append(Violation(method: method, path: path, bucket: "global", at: now, early: wait))
                return .refused(Self.rateLimited(retryAfter: wait, global: true, headers: [:]))
            }
            if let until = current.emptyUntil(limit: bucketLimit) {
                let wait = until.timeIntervalSince(now)
                state.violations.append(Violation(method: method, path: path, bucket: bucket.key, at: now, early: wait))
                return .refused(Self.rateLimited(retryAfter: wait, global: false, headers: limitHeaders(current, id: bucket.id, now: now)))
            }
            current.count += 1
            return .admitted(limitHeaders(current, id: bucket.id, now: now))
        }
    }

    private func limitHeaders(_ bucket: Bucket, id: String, now: Date) -> HTTPFields {
        let reset = bucket.emptyUntil(limit: bucketLimit) ?? bucket.resetAt
        let remaining = bucket.blockedUntil == nil ? max(0, bucketLimit - bucket.count) : 0
        return [
            Self.limitName: "\(bucketLimit)", Self.remainingName: "\(remaining)", Self.resetName: Self.seconds(reset.timeIntervalSince1970),
            Self.resetAfterName: Self.seconds(reset.timeIntervalSince(now)), Self.bucketName: id,
        ]
    }

    private static func rateLimited(retryAfter: Double, global: Bool, headers: HTTPFields) -> Response {
        var fields = headers
        fields[.retryAfter] = String(Int(retryAfter.rounded(.up)))
        fields[scopeName] = global ? "global" : "user"
        if global { fields[globalName] = "true" }
        let wait = Double(seconds(retryAfter)) ?? retryAfter
        let body: JSONValue = ["message": "You are being rate limited.", "retry_after": .number(wait), "global": .bool(global)]
        return json(body, status: 429, headers: fields)
    }

    /// Seconds with three decimals, rounded up (past float noise) so that a client waiting that long is never early.
    private static func seconds(_ value: Double) -> String {
        let milliseconds = max(0, Int((value * 1000 - 1e-6).rounded(.up)))
        return String(format: "%.3f", Double(milliseconds) / 1000)
    }

    private static let limitName = HTTPField.Name("X-RateLimit-Limit")!
    private static let remainingName = HTTPField.Name("X-RateLimit-Remaining")!
    private static let resetName = HTTPField.Name("X-RateLimit-Reset")!
    private static let resetAfterName = HTTPField.Name("X-RateLimit-Reset-After")!
    private static let bucketName = HTTPField.Name("X-RateLimit-Bucket")!
    private static let scopeName = HTTPField.Name("X-RateLimit-Scope")!
    private static let globalName = HTTPField.Name("X-RateLimit-Global")!
}
