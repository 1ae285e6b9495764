import ChatOpsCore
import Foundation
import Logging

/// Checks the `schedules:` entries: cron syntax, time zones, and that each command parses.
struct ScheduleValidator {
    let configuration: BotConfiguration
    let registry: CommandRegistry
    let file: String
    let configText: String

    func issues() -> [ValidationIssue] {
        let document = try? YAMLDocument(file: file, text: configText)
        let parser = CommandParser(registry: registry, rootCommand: configuration.bot.rootCommand, botNames: configuration.bot.names)
        var issues: [ValidationIssue] = []
        var names = Set<String>()
        for (index, entry) in configuration.schedules.enumerated() {
            func report(_ key: String, _ message: String) {
                issues.append(
                    ValidationIssue(file: file, line: document?.line("schedules", index, key), message: "schedule `\(entry.name)`: \(message)"))
            }
            if !names.insert(entry.name).inserted { report("name", "the name is used twice") }
            guard let zone = TimeZone(identifier: entry.timeZone) else {
                report("time_zone", "unknown time zone `\(entry.timeZone)`")
                continue
            }
            do { _ = try CronSchedule(entry.cron, timeZone: zone) } catch { report("cron", error.message) }
            do {
                if case .notACommand = try parser.parse(entry.command) { report("command", "the command is empty") }
            } catch {
                report("command", error.message)
            }
        }
        return issues
    }
}
