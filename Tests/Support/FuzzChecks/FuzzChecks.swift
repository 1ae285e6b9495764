import ChatOpsCore
import Foundation

// What the fuzz targets in Fuzz/ check of each input, shared with the regression tests that run
// the committed seeds (Tests/ChatOpsCoreTests/FuzzRegressionTests.swift): one copy of every promise.

public enum FuzzChecks {
    /// Everything the parser promises about one typed text; empty when every promise holds.
    public static func commandParser(_ parser: CommandParser, _ text: String) -> [String] {
        var problems: [String] = []
        if MentionSafety.containsBroadcast(MentionSafety.neutralize(text)) {
            problems.append("MentionSafety.neutralize left a broadcast mention")
        }
        _ = parser.request(in: text)
        let parsed: ParsedInput
        do {
            parsed = try parser.parse(text)
        } catch {
            if error.message.isEmpty { problems.append("a parse error without a message") }
            if let command = error.command, parser.registry.command(named: command) == nil,
                !CommandRegistry.builtinNames.contains(command)
            {
                problems.append("a parse error about `\(command)`, which is neither declared nor built in")
            }
            if error.kind == .unknownCommand {
                let names = Set(parser.registry.allNames)
                for suggestion in error.suggestions where !names.contains(suggestion) {
                    problems.append("suggested `\(suggestion)`, which is not a command")
                }
            }
            return problems
        }
        guard case .command(let invocation) = parsed else { return problems }
        guard let spec = parser.registry.command(named: invocation.command), spec.name == invocation.command else {
            return problems + ["parsed `\(invocation.command)`, which the registry does not declare"]
        }
        for name in invocation.arguments.keys.sorted() where spec.argument(named: name) == nil {
            problems.append("argument `\(name)` is not declared by `\(spec.name)`")
        }
        for argument in spec.args where argument.isRequired && invocation.arguments[argument.name] == nil {
            problems.append("required argument `\(argument.name)` of `\(spec.name)` is missing")
        }
        // The display text is for people: it must not crash the parser, whatever it parses to.
        _ = try? parser.parse(invocation.displayText)
        // A confirmed proposal runs only when its canonical text parses back to the same invocation (Engine+Intents).
        do {
            let again = try parser.parse(invocation.canonicalText)
            guard case .command(let reparsed) = again, reparsed.command == invocation.command,
                reparsed.arguments == invocation.arguments
            else {
                problems.append("canonical text `\(invocation.canonicalText)` parses to \(again)")
                return problems
            }
        } catch {
            problems.append("canonical text `\(invocation.canonicalText)` does not parse: \(error.message)")
        }
        return problems
    }

    /// Roles of the shipped `chatops.yaml` and the operations of the backends the examples use
    /// (sandbox, Kubernetes as `cluster`, KServe as `serving`, HTTP as `argo`, programs as `jobs`,
    /// MLflow as `registry`, Prometheus as `prometheus`).
    public static func validator(prompts: [String: String]) -> CommandFileValidator {
        CommandFileValidator(
            knownRoles: ["ml-engineer", "ml-lead", "admin"],
            backendOperations: [
                "sandbox": ["deploy", "scale", "rollback", "status", "metrics", "eval"],
                "cluster": ["status", "scale", "deploy", "rollback", "eval"],
                "serving": ["status", "deploy", "promote", "rollback", "scale"],
                "argo": ["request"],
                "jobs": ["run"],
                "registry": ["resolve", "versions", "promote", "rollback", "run", "compare"],
                "prometheus": ["metrics", "query"],
            ],
            prompts: prompts)
    }

    /// Everything loading and validating one command file promises; empty when every promise holds.
    public static func commandFile(_ validator: CommandFileValidator, _ text: String) -> [String] {
        let file = "fuzz.yaml"
        let lineBreaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
        let lastLine = text.unicodeScalars.filter { lineBreaks.contains($0) }.count + 2
        var problems: [String] = []
        func check(_ issue: ValidationIssue) {
            if issue.file != file { problems.append("an issue names `\(issue.file)`, not `\(file)`") }
            if issue.message.isEmpty { problems.append("an issue without a message") }
            if let line = issue.line, line < 1 || line > lastLine {
                problems.append("line \(line) is outside the file: \(issue.message)")
            }
        }
        let command: CommandFile
        do {
            command = try CommandFile(file: file, text: text)
        } catch {
            check(error)
            return problems
        }
        let issues = validator.issues(in: command)
        for issue in issues { check(issue) }
        guard issues.isEmpty else { return problems }
        // A file without issues declares a command that people can type by its name.
        let spec = command.spec
        if spec.name.range(of: "^[a-z][a-z0-9-]{0,31}$", options: .regularExpression) == nil {
            problems.append("a valid file names its command `\(spec.name)`")
        }
        if let registry = try? CommandRegistry(specs: [spec]) {
            let parser = CommandParser(registry: registry, rootCommand: nil)
            do {
                if case .command(let invocation) = try parser.parse(spec.name), invocation.command != spec.name {
                    problems.append("typing `\(spec.name)` runs `\(invocation.command)`")
                }
            } catch {
                if error.kind == .unknownCommand || error.kind == .malformed {
                    problems.append("a valid file's command cannot be typed: `\(spec.name)` gives \(error.kind): \(error.message)")
                }
            }
        }
        return problems
    }

    /// A zone and the start of the day of firings that is checked.
    public struct CronWindow: Sendable {
        let zone: TimeZone
        let start: Date
    }

    /// A plain day in UTC, and days with clock changes: Berlin forward (2025-03-30) and back (2025-10-26),
    /// New York forward (2025-03-09), Lord Howe's half hour back (2025-04-06), and Kathmandu's +5:45.
    static let cronWindows: [CronWindow] = {
        let days: [(String, TimeInterval)] = [
            ("GMT", 1_748_822_400),  // 2025-06-02T00:00:00Z
            ("Europe/Berlin", 1_743_249_600),  // 2025-03-29T12:00:00Z
            ("Europe/Berlin", 1_761_393_600),  // 2025-10-25T12:00:00Z
            ("America/New_York", 1_741_435_200),  // 2025-03-08T12:00:00Z
            ("Australia/Lord_Howe", 1_743_811_200),  // 2025-04-05T00:00:00Z
            ("Asia/Kathmandu", 1_748_822_400),  // 2025-06-02T00:00:00Z
        ]
        return days.map { CronWindow(zone: TimeZone(identifier: $0.0) ?? .gmt, start: Date(timeIntervalSince1970: $0.1)) }
    }()

    /// The window an expression is checked in: picked by its bytes, so each input always gets the same one.
    public static func cronWindow(for expression: String) -> CronWindow {
        cronWindows[expression.utf8.reduce(0) { $0 + Int($1) } % cronWindows.count]
    }

    /// Everything a schedule promises about one expression; empty when every promise holds.
    public static func cron(_ expression: String) -> [String] {
        var problems: [String] = []
        let window = cronWindow(for: expression)
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule(expression, timeZone: window.zone)
        } catch {
            if error.message.isEmpty { problems.append("a cron error without a message") }
            return problems
        }
        if (try? CronSchedule(schedule.expression, timeZone: window.zone)) != schedule {
            problems.append("the expression does not parse again to the same schedule")
        }
        let start = window.start
        let end = start.addingTimeInterval(86_400)
        let first = schedule.next(after: start)
        if let first {
            if first <= start { problems.append("next(after: \(start)) is \(first), not after it") }
            if first.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) != 0 {
                problems.append("next(after: \(start)) is \(first), not on a whole minute")
            }
            if first.timeIntervalSince(start) > 1_832 * 86_400 {
                problems.append("next(after: \(start)) is \(first), beyond the five years it searches")
            }
        }
        let missed = schedule.missedFirings(after: start, until: end)
        let dueInWindow = first.map { $0 <= end } ?? false
        if dueInWindow != (missed != nil) {
            problems.append("next(after: \(start)) is \(String(describing: first)) but missedFirings until \(end) is \(String(describing: missed))")
        }
        if let missed {
            if missed.latest <= start || missed.latest > end {
                problems.append("the latest firing \(missed.latest) is outside (\(start), \(end)]")
            }
            if missed.skipped < 0 || missed.skipped > CronSchedule.skipCountLimit {
                problems.append("\(missed.skipped) skipped firings counted")
            }
            if (missed.skipped == 0) != (missed.firstSkipped == nil) {
                problems.append("\(missed.skipped) skipped firings, the first at \(String(describing: missed.firstSkipped))")
            }
            if let firstSkipped = missed.firstSkipped, firstSkipped <= start || firstSkipped >= missed.latest {
                problems.append("the first skipped firing \(firstSkipped) is not between \(start) and the latest \(missed.latest)")
            }
            if first != (missed.firstSkipped ?? missed.latest) {
                problems.append(
                    "next(after: \(start)) is \(String(describing: first)), but missedFirings starts at \(missed.firstSkipped ?? missed.latest)")
            }
        }
        return problems
    }
}

extension FuzzChecks {
    /// The repository's root, found from this file's path.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The parser of the repository's `commands/*.yaml`, as the bot builds it.
    public static func repositoryParser() throws -> CommandParser {
        let folder = repositoryRoot.appendingPathComponent("commands")
        var specs: [CommandSpec] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".yaml") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            specs.append(try CommandFile(file: name, text: text).spec)
        }
        return CommandParser(registry: try CommandRegistry(specs: specs), rootCommand: "mlops", botNames: ["chatops"])
    }

    /// The validator `Fuzz/CommandFile` builds, with the prompts of `commands/prompts`.
    public static func repositoryValidator() throws -> CommandFileValidator {
        let folder = repositoryRoot.appendingPathComponent("commands/prompts")
        var prompts: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            prompts["prompts/\(name)"] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return validator(prompts: prompts)
    }
}

extension FuzzChecks {
    /// A libFuzzer input as text, through `check`; a broken promise stops the fuzzer with the input
    /// and every problem found.
    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int, target: String, _ check: (String) -> [String]) -> CInt {
        let text = data.map { String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self) } ?? ""
        let problems = check(text)
        if !problems.isEmpty {
            fatalError("\(target): a promise broken for \(text.debugDescription):\n" + problems.joined(separator: "\n"))
        }
        return 0
    }
}
