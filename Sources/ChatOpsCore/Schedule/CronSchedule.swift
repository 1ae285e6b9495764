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
        domRestricted = fields[2] != "*"
        dowRestricted = fields[4] != "*"
    }

    /// The first firing strictly after `date`, or nil when none falls in the next five years.
    public func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let startMinute = date.addingTimeInterval(60 - date.timeIntervalSince1970.truncatingRemainder(dividingBy: 60))
        var day = calendar.startOfDay(for: startMinute)
        let sortedHours = hours.sorted()
        let sortedMinutes = minutes.sorted()
        for _ in 0..<(366 * 5) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if months.contains(parts.month!), matchesDay(dayOfMonth: parts.day!, weekday: parts.weekday! - 1) {
                for hour in sortedHours {
                    for minute in sortedMinutes {
                        var wanted = DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: hour, minute: minute)
                        wanted.timeZone = timeZone
                        guard let candidate = calendar.date(from: wanted),
                            calendar.component(.hour, from: candidate) == hour
                        else { continue }
                        if candidate > date { return candidate }
                    }
                }
            }
            guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = calendar.startOfDay(for: following)
        }
        return nil
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
                let high = ends.count == 2 ? try value(String(ends[1]), name: name, range: range, names: names) : (pieces.count == 2 ? range.upperBound : low)
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
