import ChatOpsCore
import Foundation
import Testing

/// `2025-03-31T07:00:00Z` as a date.
func utc(_ text: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad date \(text)") }
    return date
}

@Suite("CronSchedule")
struct CronScheduleTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test func everyFifteenMinutes() throws {
        let cron = try CronSchedule("*/15 * * * *")
        #expect(cron.next(after: utc("2025-06-02T10:07:30Z")) == utc("2025-06-02T10:15:00Z"))
        #expect(cron.next(after: utc("2025-06-02T10:15:00Z")) == utc("2025-06-02T10:30:00Z"), "strictly after")
        #expect(cron.next(after: utc("2025-06-02T23:50:00Z")) == utc("2025-06-03T00:00:00Z"))
    }

    @Test func weekdayMorningsInBerlinAcrossSpringForward() throws {
        let cron = try CronSchedule("0 9 * * 1-5", timeZone: berlin)
        // Friday 28 March 2025, 09:00 CET is 08:00 UTC.
        #expect(cron.next(after: utc("2025-03-27T12:00:00Z")) == utc("2025-03-28T08:00:00Z"))
        // Clocks go forward on Sunday 30 March: Monday 09:00 CEST is 07:00 UTC.
        #expect(cron.next(after: utc("2025-03-28T08:00:00Z")) == utc("2025-03-31T07:00:00Z"))
    }

    @Test func weekdayMorningsInBerlinAcrossFallBack() throws {
        let cron = try CronSchedule("0 9 * * 1-5", timeZone: berlin)
        #expect(cron.next(after: utc("2025-10-23T12:00:00Z")) == utc("2025-10-24T07:00:00Z"))
        #expect(cron.next(after: utc("2025-10-24T07:00:00Z")) == utc("2025-10-27T08:00:00Z"))
    }

    @Test func aTimeRepeatedAtFallBackFiresOnce() throws {
        let cron = try CronSchedule("30 2 * * *", timeZone: berlin)
        let firings = cron.firings(after: utc("2025-10-25T12:00:00Z"), until: utc("2025-10-27T12:00:00Z"))
        #expect(firings == [utc("2025-10-26T00:30:00Z"), utc("2025-10-27T01:30:00Z")])
    }

    @Test func listsAndRanges() throws {
        let cron = try CronSchedule("0,30 8,20 * * *")
        let firings = cron.firings(after: utc("2025-06-02T00:00:00Z"), until: utc("2025-06-03T00:00:00Z"))
        #expect(firings == ["08:00", "08:30", "20:00", "20:30"].map { utc("2025-06-02T\($0):00Z") })
    }

    @Test func rangesWithSteps() throws {
        let cron = try CronSchedule("0-30/10 9-11/2 * * *")
        let firings = cron.firings(after: utc("2025-06-02T00:00:00Z"), until: utc("2025-06-03T00:00:00Z"))
        let times = ["09:00", "09:10", "09:20", "09:30", "11:00", "11:10", "11:20", "11:30"]
        #expect(firings == times.map { utc("2025-06-02T\($0):00Z") })
    }

    @Test func aStartWithAStepRunsToTheEndOfTheRange() throws {
        let cron = try CronSchedule("10/20 0 * * *")
        let firings = cron.firings(after: utc("2025-06-01T23:59:00Z"), until: utc("2025-06-02T01:00:00Z"))
        #expect(firings == ["00:10", "00:30", "00:50"].map { utc("2025-06-02T\($0):00Z") })
    }

    @Test func monthAndDayNames() throws {
        let cron = try CronSchedule("0 12 1 JAN,jul *")
        #expect(cron.next(after: utc("2025-02-01T00:00:00Z")) == utc("2025-07-01T12:00:00Z"))
        #expect(cron.next(after: utc("2025-07-01T12:00:00Z")) == utc("2026-01-01T12:00:00Z"))
        let weekdays = try CronSchedule("0 9 * * mon-FRI")
        let numeric = try CronSchedule("0 9 * * 1-5")
        let after = utc("2025-06-01T00:00:00Z")
        let until = utc("2025-06-30T00:00:00Z")
        #expect(weekdays.firings(after: after, until: until) == numeric.firings(after: after, until: until))
        #expect(weekdays.firings(after: after, until: until).count == 20, "the weekdays of June 2025 before the 30th")
    }

    @Test func bothDayFieldsRestrictedMeansEither() throws {
        // July 2025: Fridays are the 4th, 11th, 18th and 25th; the 13th is a Sunday.
        let cron = try CronSchedule("0 0 13 * fri")
        let days = cron.firings(after: utc("2025-07-01T00:00:00Z"), until: utc("2025-07-31T23:59:00Z"))
            .map { Calendar(identifier: .gregorian).dateComponents(in: .gmt, from: $0).day! }
        #expect(days == [4, 11, 13, 18, 25])
    }

    @Test func oneDayFieldRestrictedMeansThatOne() throws {
        let after = utc("2025-07-01T00:00:00Z")
        let until = utc("2025-07-31T23:59:00Z")
        #expect(try CronSchedule("0 0 13 * *").firings(after: after, until: until) == [utc("2025-07-13T00:00:00Z")])
        #expect(try CronSchedule("0 0 * * 5").firings(after: after, until: until).count == 4)
    }

    @Test func dayOfWeekSevenIsSunday() throws {
        let after = utc("2025-07-01T00:00:00Z")
        let until = utc("2025-07-31T23:59:00Z")
        let seven = try CronSchedule("0 0 * * 7").firings(after: after, until: until)
        #expect(seven == [6, 13, 20, 27].map { utc(String(format: "2025-07-%02dT00:00:00Z", $0)) })
        #expect(try CronSchedule("0 0 * * 0").firings(after: after, until: until) == seven)
        #expect(try CronSchedule("0 0 * * sun").firings(after: after, until: until) == seven)
    }

    @Test(arguments: [
        "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8",
        "30-10 * * * *", "*/0 * * * *", "*/x * * * *", "1/2/3 * * * *", "1-2-3 * * * *", ", * * * *",
        "5, * * * *", "/5 * * * *", "* * * foo *", "",
    ])
    func invalidExpressionsThrow(expression: String) {
        #expect(throws: CronSchedule.ParseError.self) { try CronSchedule(expression) }
    }

    @Test func errorMessagesNameTheProblem() {
        let fields = #expect(throws: CronSchedule.ParseError.self) { try CronSchedule("* * * *") }
        #expect(fields?.message.contains("5 fields") == true)
        let backwards = #expect(throws: CronSchedule.ParseError.self) { try CronSchedule("30-10 * * * *") }
        #expect(backwards?.message.contains("backwards") == true)
    }

    @Test func missedFiringsComeBackOnceEachInOrder() throws {
        let cron = try CronSchedule("0 * * * *")
        let firings = cron.firings(after: utc("2025-06-02T09:00:00Z"), until: utc("2025-06-02T12:00:00Z"))
        #expect(firings == [utc("2025-06-02T10:00:00Z"), utc("2025-06-02T11:00:00Z"), utc("2025-06-02T12:00:00Z")])
    }

    @Test func firingsRespectTheLimit() throws {
        let cron = try CronSchedule("* * * * *")
        let firings = cron.firings(after: utc("2025-06-02T00:00:00Z"), until: utc("2025-06-03T00:00:00Z"), limit: 5)
        #expect(firings.count == 5)
        #expect(firings.last == utc("2025-06-02T00:05:00Z"))
        #expect(cron.firings(after: utc("2025-06-02T00:00:00Z"), until: utc("2025-06-02T00:00:30Z")).isEmpty)
    }

    @Test func anImpossibleDateNeverFires() throws {
        #expect(try CronSchedule("0 0 31 2 *").next(after: utc("2025-01-01T00:00:00Z")) == nil)
    }

    @Test func leapDayIsFound() throws {
        #expect(try CronSchedule("0 0 29 2 *").next(after: utc("2025-01-01T00:00:00Z")) == utc("2028-02-29T00:00:00Z"))
    }
}

@Suite("CronSchedule: edge cases")
struct CronScheduleEdgeCaseTests {
    /// As in Vixie cron, a wildcard entry fires in both passes of the repeated hour after a fall-back.
    @Test func everyFifteenMinutesKeepsFiringThroughTheRepeatedHour() throws {
        let cron = try CronSchedule("*/15 * * * *", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let firings = cron.firings(after: utc("2025-10-25T23:45:00Z"), until: utc("2025-10-26T02:30:00Z"))
        #expect(firings.first == utc("2025-10-26T00:00:00Z"))
        #expect(firings.count == 11)
        #expect(firings.contains(utc("2025-10-26T01:00:00Z")))
    }

    @Test func aFixedTimeFiresOnceWhenClocksGoBack() throws {
        let cron = try CronSchedule("30 2 * * *", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let firings = cron.firings(after: utc("2025-10-25T12:00:00Z"), until: utc("2025-10-26T12:00:00Z"))
        #expect(firings == [utc("2025-10-26T00:30:00Z")], "02:30 CEST, and not again at 02:30 CET")
    }

    @Test func aFixedTimeInTheSkippedHourFiresRightAfterTheChange() throws {
        let cron = try CronSchedule("30 2 * * *", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        // 2025-03-30: clocks jump from 02:00 CET to 03:00 CEST (01:00Z); 02:30 does not exist.
        #expect(cron.next(after: utc("2025-03-29T12:00:00Z")) == utc("2025-03-30T01:00:00Z"))
        #expect(cron.next(after: utc("2025-03-30T01:00:00Z")) == utc("2025-03-31T00:30:00Z"))
    }

    @Test func aStarredDayFieldDoesNotCountAsRestricted() throws {
        // Vixie cron: `*/2` in day-of-month leaves the day-of-week restriction in charge (odd days AND Mondays).
        let cron = try CronSchedule("0 0 */2 * 1")
        let firings = cron.firings(after: utc("2025-09-01T00:00:00Z"), until: utc("2025-10-31T00:00:00Z"))
        let calendar = {
            var c = Calendar(identifier: .gregorian)
            c.timeZone = .gmt
            return c
        }()
        #expect(!firings.isEmpty)
        #expect(firings.allSatisfy { calendar.component(.weekday, from: $0) == 2 && calendar.component(.day, from: $0) % 2 == 1 })
    }

    @Test func missedFiringsCollapseToTheLatest() throws {
        let every5 = try CronSchedule("*/5 * * * *")
        let day = every5.missedFirings(after: utc("2025-06-02T00:01:00Z"), until: utc("2025-06-03T00:01:00Z"))
        #expect(day == MissedFirings(latest: utc("2025-06-03T00:00:00Z"), skipped: 287, firstSkipped: utc("2025-06-02T00:05:00Z")))
        #expect(every5.missedFirings(after: utc("2025-06-02T00:01:00Z"), until: utc("2025-06-02T00:04:00Z")) == nil, "nothing fell due")
        let one = every5.missedFirings(after: utc("2025-06-02T00:01:00Z"), until: utc("2025-06-02T00:06:00Z"))
        #expect(one == MissedFirings(latest: utc("2025-06-02T00:05:00Z"), skipped: 0, firstSkipped: nil), "a short outage skips nothing")
        // A yearly entry after two years down, and a minutely one after a year: the count stops at the limit.
        let yearly = try CronSchedule("0 9 1 1 *").missedFirings(after: utc("2023-01-02T00:00:00Z"), until: utc("2025-06-02T00:00:00Z"))
        #expect(yearly == MissedFirings(latest: utc("2025-01-01T09:00:00Z"), skipped: 1, firstSkipped: utc("2024-01-01T09:00:00Z")))
        let minutely = try CronSchedule("* * * * *").missedFirings(after: utc("2024-06-02T00:00:00Z"), until: utc("2025-06-02T00:00:00Z"))
        #expect(minutely?.latest == utc("2025-06-02T00:00:00Z"))
        #expect(minutely?.skipped == CronSchedule.skipCountLimit)
    }
}
