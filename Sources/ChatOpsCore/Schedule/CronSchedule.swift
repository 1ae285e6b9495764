import Foundation

/// A 5-field cron expression (minute hour day-of-month month day-of-week) in a time zone.
///
/// Fields take `*`, numbers, names (`jan`, `mon`), lists (`1,15`), ranges (`1-5`) and steps
/// (`*/15`, `0-30/10`). As in Vixie cron, when both day fields are restricted a day matches
/// either of them. Day of week 0 and 7 are Sunday.
public struct CronSchedule: Sendable, Equatable {
    public let expression: String
    public let timeZone: TimeZone
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let domRestricted: Bool
    let dowRestricted: Bool
    /// Neither minute nor hour starts with `*`: such a job runs once per day across clock changes.
    let fixedTime: Bool

    /// An expression that could not be read.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// - Parameters:
    ///   - expression: five fields separated by spaces.
    ///   - timeZone: the zone the fields are read in.
    public init(_ expression: String, timeZone: TimeZone = .gmt) throws(ParseError) {
        let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "a cron expression has 5 fields (minute hour day month weekday), not \(fields.count)")
        }
        self.expression = expression
        self.timeZone = timeZone
        minutes = try Self.field(fields[0], name: "minute", range: 0...59)
        hours = try Self.field(fields[1], name: "hour", range: 0...23)
        daysOfMonth = try Self.field(fields[2], name: "day of month", range: 1...31)
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames)
        let weekdays = try Self.field(fields[4], name: "day of week", range: 0...7, names: Self.dayNames)
        daysOfWeek = Set(weekdays.map { $0 % 7 })
        // As in Vixie cron, a day field starting with `*` (including `*/2`) counts as unrestricted.
        domRestricted = !fields[2].hasPrefix("*")
        dowRestricted = !fields[4].hasPrefix("*")
        fixedTime = !fields[0].hasPrefix("*") && !fields[1].hasPrefix("*")
    }

    /// The first firing strictly after `date`, or nil when none falls in the next five years.
    ///
    /// Clock changes follow Vixie cron: when clocks go back, a fixed-time entry (`30 1 * * *`) fires
    /// once and a wildcard one (`*/15 * * * *`) fires in both passes of the repeated hour; when
    /// clocks go forward, a fixed-time entry whose time was skipped fires right after the change.
    public func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let first = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        var day = calendar.startOfDay(for: first)
        for _ in 0..<(366 * 5) {
            guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            let parts = calendar.dateComponents([.month, .day, .weekday], from: day)
            if months.contains(parts.month!), matchesDay(dayOfMonth: parts.day!, weekday: parts.weekday! - 1) {
                var instant = max(day, first)
                while instant < following {
                    if fires(at: instant, calendar: calendar) { return instant }
                    instant = instant.addingTimeInterval(60)
                }
            }
            day = calendar.startOfDay(for: following)
        }
        return nil
    }

    /// Whether the entry fires at this instant (a whole minute of the day being searched).
    private func fires(at instant: Date, calendar: Calendar) -> Bool {
        func wallMinute(_ date: Date) -> Int {
            let parts = calendar.dateComponents([.hour, .minute], from: date)
            return parts.hour! * 60 + parts.minute!
        }
        let now = wallMinute(instant)
        if hours.contains(now / 60), minutes.contains(now % 60) {
            // The second pass of a repeated wall time does not fire a fixed-time entry again.
            return !(fixedTime && wallMinute(instant.addingTimeInterval(-3600)) == now)
        }
        let before = wallMinute(instant.addingTimeInterval(-60))
        guard fixedTime, now - before > 1 else { return false }
        return (before + 1..<now).contains { hours.contains($0 / 60) && minutes.contains($0 % 60) }
    }

    /// Every firing in `(after, until]`, oldest first, at most `limit`.
    public func firings(after: Date, until: Date, limit: Int = 100) -> [Date] {
        var result: [Date] = []
        var cursor = after
        while result.count < limit, let next = next(after: cursor), next <= until {
            result.append(next)
            cursor = next
        }
        return result
    }

    private func matchesDay(dayOfMonth: Int, weekday: Int) -> Bool {
        let domMatch = daysOfMonth.contains(dayOfMonth)
        let dowMatch = daysOfWeek.contains(weekday)
        if domRestricted && dowRestricted { return domMatch || dowMatch }
        return domMatch && dowMatch
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .enumerated().reduce(into: [String: Int]()) { $0[$1.element] = $1.offset + 1 }
    private static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        .enumerated().reduce(into: [String: Int]()) { $0[$1.element] = $1.offset }

    private static func field(
        _ text: String, name: String, range: ClosedRange<Int>, names: [String: Int] = [:]
    ) throws(ParseError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, !pieces[0].isEmpty else { throw ParseError(message: "bad \(name) field `\(text)`") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw ParseError(message: "bad step in \(name) field `\(text)`") }
                step = parsed
            }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" {
                bounds = range
            } else {
                let ends = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2 else { throw ParseError(message: "bad range in \(name) field `\(text)`") }
                let low = try value(String(ends[0]), name: name, range: range, names: names)
                let high =
                    ends.count == 2
                    ? try value(String(ends[1]), name: name, range: range, names: names) : (pieces.count == 2 ? range.upperBound : low)
                guard low <= high else { throw ParseError(message: "range \(low)-\(high) runs backwards in \(name) field") }
                bounds = low...high
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }

    private static func value(_ text: String, name: String, range: ClosedRange<Int>, names: [String: Int]) throws(ParseError) -> Int {
        if let number = Int(text) ?? names[text.lowercased()], range.contains(number) { return number }
        throw ParseError(message: "`\(text)` is not a valid \(name) (\(range.lowerBound)-\(range.upperBound))")
    }
}
