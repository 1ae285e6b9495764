import ChatOpsCore
import Foundation
import FuzzChecks
import Testing

// The committed fuzz seeds (Fuzz/seeds/<target>) and named inputs, through the same checks as the libFuzzer
// targets in Fuzz/, so CI exercises them without libFuzzer (`scripts/fuzz` runs the targets themselves).
// When the fuzzer finds a crash: fix it, then add the input to the target's list in `FuzzRegressions`,
// named after what it broke (`fuzz-<target>-<what>`), so it stays fixed.

/// An input kept by name: an edge case, or what a fuzzer once broke.
struct NamedFuzzInput: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    init(_ name: String, _ text: String) {
        self.name = name
        self.text = text
    }
    var testDescription: String { name }
}

enum FuzzRegressions {
    static let commandParser: [NamedFuzzInput] = [
        NamedFuzzInput("a lone backslash at the end", "deploy fraud v12 \\"),
        NamedFuzzInput("a version that looks like a flag", "deploy fraud version=--env"),
        NamedFuzzInput("an unterminated quote", "deploy \"fraud v12"),
        NamedFuzzInput("curly quotes", "status \u{201C}fraud\u{201D}"),
        NamedFuzzInput("the largest duration", "metrics fraud --window 9223372036854775807"),
        NamedFuzzInput("broadcast mentions", "@channel <!here> deploy fraud v12"),
        NamedFuzzInput("run without an id", "run"),
        NamedFuzzInput("an alias with an enum in capitals", "st fraud --env PROD"),
        NamedFuzzInput("a negated enum", "rollback fraud --no-env"),
        NamedFuzzInput("a zero-width space in the name", "deploy\u{200B} fraud v12"),
        NamedFuzzInput("nothing", ""),
        NamedFuzzInput("a percent with its sign", "deploy fraud v12 --canary=100%"),
        NamedFuzzInput("an option given twice", "scale fraud 3 --env prod --env staging"),
    ]

    static let commandFile: [NamedFuzzInput] = [
        NamedFuzzInput("an empty file", ""),
        NamedFuzzInput("a bare scalar", "deploy"),
        NamedFuzzInput("a list", "- name: deploy"),
        NamedFuzzInput("a tab in the indentation", "name: x\n\tsummary: y"),
        NamedFuzzInput("an unclosed flow sequence", "args: ["),
        NamedFuzzInput("an undefined alias", "name: *nowhere"),
    ]

    static let cron: [NamedFuzzInput] = [
        NamedFuzzInput("every minute", "* * * * *"),
        NamedFuzzInput("the 31st of February", "0 0 31 2 *"),
        NamedFuzzInput("a step longer than the field", "0-59/60 * * * *"),
        NamedFuzzInput("Sunday as 7", "0 0 * * 7"),
        NamedFuzzInput("tabs between fields", "0\t9\t*\t*\tmon-FRI"),
        NamedFuzzInput("a backwards range", "30-10 * * * *"),
        NamedFuzzInput("six fields", "* * * * * *"),
        NamedFuzzInput("an empty list item", "5, * * * *"),
        NamedFuzzInput("a leap day", "0 0 29 2 *"),
    ]
}

/// The committed seeds, found from this file's path.
enum FuzzSeeds {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The seed files of a target, by name.
    static func names(_ target: String) -> [String] {
        let folder = root.appendingPathComponent("Fuzz/seeds/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// A seed as its fuzz target sees it: the bytes decoded as UTF-8.
    static func text(_ target: String, _ name: String) throws -> String {
        String(decoding: try Data(contentsOf: root.appendingPathComponent("Fuzz/seeds/\(target)/\(name)")), as: UTF8.self)
    }

}

@Suite("Fuzz seeds and regressions")
struct FuzzRegressionTests {
    @Test(arguments: ["CommandParser", "CommandFile", "Cron", "SlackDecoders", "DiscordDecoders", "SecretExpander", "SecretRedactor"])
    func everyTargetHasSeeds(target: String) {
        let count = FuzzSeeds.names(target).count
        #expect((10...40).contains(count), "Fuzz/seeds/\(target) holds \(count) files")
    }

    @Test(arguments: FuzzSeeds.names("CommandParser"))
    func commandParserSeed(name: String) throws {
        let problems = FuzzChecks.commandParser(try FuzzChecks.repositoryParser(), try FuzzSeeds.text("CommandParser", name))
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test(arguments: FuzzRegressions.commandParser)
    func commandParserRegression(input: NamedFuzzInput) throws {
        let problems = FuzzChecks.commandParser(try FuzzChecks.repositoryParser(), input.text)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test(arguments: FuzzSeeds.names("CommandFile"))
    func commandFileSeed(name: String) throws {
        let problems = FuzzChecks.commandFile(try FuzzChecks.repositoryValidator(), try FuzzSeeds.text("CommandFile", name))
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test(arguments: FuzzRegressions.commandFile)
    func commandFileRegression(input: NamedFuzzInput) throws {
        let problems = FuzzChecks.commandFile(try FuzzChecks.repositoryValidator(), input.text)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test(arguments: FuzzSeeds.names("Cron"))
    func cronSeed(name: String) throws {
        let problems = FuzzChecks.cron(try FuzzSeeds.text("Cron", name))
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test(arguments: FuzzRegressions.cron)
    func cronRegression(input: NamedFuzzInput) {
        let problems = FuzzChecks.cron(input.text)
        #expect(problems.isEmpty, "\(problems)")
    }
}
