import Foundation
import NIOHTTP1

/// The wait a server asks for in `Retry-After` (RFC 9110 §10.2.3): a number of seconds, or an HTTP
/// date. Nil when the header is absent or unreadable.
public enum RetryAfter {
    public static func wait(in headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        guard let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite {
            return .milliseconds(Int(max(0, min(seconds, 86_400)) * 1000))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int(max(0, min(date.timeIntervalSince(now), 86_400)) * 1000))
    }
}
