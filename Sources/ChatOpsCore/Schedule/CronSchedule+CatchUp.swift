import Foundation

/// What a schedule entry owes after time in which it could not fire (the bot was down).
public struct MissedFirings: Sendable, Equatable {
    /// The latest firing due: the one that runs.
    public var latest: Date
    /// Earlier firings that are not run, counted up to `CronSchedule.skipCountLimit`.
    public var skipped: Int
    /// The first firing that is not run, when any is.
    public var firstSkipped: Date?

    public init(latest: Date, skipped: Int, firstSkipped: Date?) {
        self.latest = latest
        self.skipped = skipped
        self.firstSkipped = firstSkipped
    }
}

extension CronSchedule {
    /// Skipped firings are counted up to this many; more are reported as "at least" this many.
    public static let skipCountLimit = 1_000

    /// The firings due in `(after, until]`, collapsed to the latest one: a bot that was down for a day
    /// runs a `*/5` entry once, not 288 times, and says how many it skipped.
    /// - Returns: nil when nothing fell due.
    public func missedFirings(after: Date, until: Date) -> MissedFirings? {
        guard let latest = latestFiring(after: after, until: until) else { return nil }
        let earlier = firings(after: after, until: latest.addingTimeInterval(-1), limit: Self.skipCountLimit)
        return MissedFirings(latest: latest, skipped: earlier.count, firstSkipped: earlier.first)
    }

    /// The last firing in `(after, until]`, found by looking back over growing windows so a long
    /// outage costs a few window scans rather than one step per missed firing.
    func latestFiring(after: Date, until: Date) -> Date? {
        let hour: TimeInterval = 3_600
        for window in [hour, 24 * hour, 32 * 24 * hour, 366 * 24 * hour, until.timeIntervalSince(after)] {
            let start = max(after, until.addingTimeInterval(-window))
            if let last = firings(after: start, until: until, limit: .max).last { return last }
            if start == after { return nil }
        }
        return nil
    }
}
