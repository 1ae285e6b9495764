import ChatOpsCore
import Foundation
import Logging

/// Short human descriptions of times and durations for replies.
enum RelativeTime {
    /// `14:05 UTC (3m ago)`.
    static func describe(_ date: Date, now: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let seconds = Int(now.timeIntervalSince(date).rounded())
        let relative = seconds >= 0 ? "\(coarse(seconds)) ago" : "in \(coarse(-seconds))"
        return "\(formatter.string(from: date)) UTC (\(relative))"
    }

    /// Whole seconds under a minute, whole minutes above: `45s`, `3m`, `1h59m`.
    static func coarse(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds)s" : DurationFormat.format(seconds: (seconds + 30) / 60 * 60)
    }

    /// `1.2s`, `350ms`.
    static func duration(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        return milliseconds < 1000 ? "\(milliseconds)ms" : String(format: "%.1fs", Double(milliseconds) / 1000)
    }
}
