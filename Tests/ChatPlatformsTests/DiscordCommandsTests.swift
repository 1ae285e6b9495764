import ChatOpsCore
import Foundation
import Testing

@testable import ChatPlatforms

/// The repository's `commands/` folder, read through the same command-file decoder `chatops serve` uses.
enum RepositoryCommands {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("commands")

    static func registry() throws -> CommandRegistry {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        let specs = try names.sorted().map { name in
            try CommandFile(file: name, text: String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)).spec
        }
        return try CommandRegistry(specs: specs)
    }
}

@Suite("Discord slash commands made from the command files")
struct DiscordCommandsTests {
    static let builtins = ["help", "approve", "reject", "unlock"]
    let registry: CommandRegistry
    let parser: CommandParser
    let definitions: [JSONValue]

    init() throws {
        registry = try RepositoryCommands.registry()
        parser = CommandParser(registry: registry, rootCommand: "mlops")
        definitions = try DiscordCommands.definitions(registry: registry)
    }

    func definition(_ name: String) throws -> JSONValue {
        try #require(definitions.first { $0["name"]?.string == name }, "no Discord command `\(name)`")
    }

    static func options(of definition: JSONValue) -> [JSONValue] { definition["options"]?.array ?? [] }

    @Test func everyCommandFileIsOneCommandAndTheBuiltInsFollow() {
        #expect(!registry.specs.isEmpty)
        #expect(definitions.compactMap { $0["name"]?.string } == registry.specs.map(\.name) + Self.builtins)
    }

    @Test func everyDefinitionKeepsDiscordsRules() {
        for command in definitions {
            let name = command["name"]?.string ?? ""
            #expect(Self.isDiscordName(name), "\(name)")
            #expect(command["type"] == 1, "\(name): a slash command")
            #expect((1...100).contains(command["description"]?.string?.unicodeScalars.count ?? 0), "\(name)")
            let options = Self.options(of: command)
            #expect(options.count <= 25, "\(name)")
            let required = options.map { $0["required"] == .bool(true) }
            #expect(required == required.sorted { $0 && !$1 }, "\(name): required options come first")
            for option in options {
                let optionName = option["name"]?.string ?? ""
                #expect(Self.isDiscordName(optionName), "\(name) \(optionName)")
                #expect((1...100).contains(option["description"]?.string?.unicodeScalars.count ?? 0), "\(name) \(optionName)")
                #expect([3, 4, 5].contains(option["type"]?.int ?? 0), "\(name) \(optionName)")
                #expect((option["choices"]?.array?.count ?? 0) <= 25, "\(name) \(optionName)")
            }
        }
    }

    @Test func deploysOptionsAreItsArguments() throws {
        let options = Self.options(of: try definition("deploy"))
        #expect(options.compactMap { $0["name"]?.string } == ["model", "version", "env", "canary"])
        #expect(options.map { $0["required"] } == [true, true, false, false], "a default or `optional` makes an option optional")
        #expect(options.map { $0["type"] } == [3, 3, 3, 4])
        #expect(options[2]["choices"] == [["name": "staging", "value": "staging"], ["name": "prod", "value": "prod"]])
        #expect(options[2]["description"]?.string?.contains("default staging") == true)
        #expect(options[3]["min_value"] == 0 && options[3]["max_value"] == 100, "a percentage")
        let replicas = try #require(Self.options(of: try definition("scale")).first { $0["name"] == "replicas" })
        #expect(replicas["type"] == 4 && replicas["min_value"] == 0 && replicas["max_value"] == 50)
    }

    @Test func everyCommandWithItsRequiredOptionsParsesBackIntoItself() throws {
        for spec in registry.specs {
            let options = Self.options(of: try definition(spec.name)).filter { $0["required"] == .bool(true) }
            try expectRoundTrip(spec, filling: options)
        }
    }

    @Test func everyCommandWithAllItsOptionsParsesBackIntoItself() throws {
        for spec in registry.specs {
            try expectRoundTrip(spec, filling: Self.options(of: try definition(spec.name)))
        }
    }

    @Test func theBuiltInsParseBackIntoThemselves() throws {
        let cases: [(command: String, option: String?, value: String?, expected: BuiltinCommand)] = [
            ("help", nil, nil, .help(topic: nil)),
            ("help", "topic", "deploy", .help(topic: "deploy")),
            ("approve", nil, nil, .vote(.approve, approvalID: nil, comment: nil)),
            ("approve", "request", "k7q2m9", .vote(.approve, approvalID: "k7q2m9", comment: nil)),
            ("reject", "request", "k7q2m9", .vote(.reject, approvalID: "k7q2m9", comment: nil)),
            ("unlock", "target", "fraud@prod", .unlock(target: "fraud@prod")),
        ]
        for example in cases {
            var filled: [(option: JSONValue, value: JSONValue)] = []
            if let name = example.option, let value = example.value {
                let option = try #require(Self.options(of: try definition(example.command)).first { $0["name"]?.string == name })
                filled.append((option: option, value: JSONValue.string(value)))
            }
            let text = try decodedText(example.command, filled)
            #expect(try parser.parse(text) == .builtin(example.expected), "\(text)")
        }
        let request = try #require(Self.options(of: try definition("approve")).first)
        #expect(request["required"] == false, "`approve` alone, typed in the request's thread, votes on its request")
        #expect(Self.options(of: try definition("unlock")).first?["required"] == true)
    }

    @Test func aLongSummaryIsCutAndDiscordsLimitsAreKept() throws {
        let long = String(repeating: "Deploy a model version to an environment. ", count: 5)
        let values = (1...30).map { "region-\($0)" }
        let spec = CommandSpec(
            name: "ship", summary: long,
            args: [
                ArgumentSpec(name: "note", type: .string, optional: true),
                ArgumentSpec(name: "region", type: .enumeration, values: values),
                ArgumentSpec(name: "window", type: .duration),
                ArgumentSpec(name: "dry-run", type: .boolean, defaultValue: "false"),
            ],
            allow: ["*"], action: ActionSpec(backend: "sandbox", operation: "deploy"))
        let command = try DiscordCommands.command(spec)
        let description = try #require(command["description"]?.string)
        #expect(description.unicodeScalars.count <= 100 && description.hasSuffix("…"))
        let options = Self.options(of: command)
        #expect(options.compactMap { $0["name"]?.string } == ["region", "window", "note", "dry-run"], "required options first")
        #expect(options[0]["choices"] == nil, "more than 25 values: any text, which the parser checks")
        #expect(options[3]["type"] == 5)
        for name in ["Model", "dry run", String(repeating: "x", count: 33)] {
            var bad = spec
            bad.args = [ArgumentSpec(name: name, type: .string)]
            #expect(throws: DiscordCommandsError.self, "\(name)") { try DiscordCommands.command(bad) }
        }
    }

    // MARK: Helpers

    /// Fills `options` from their definitions, sends them through the interaction decoder, and checks that the
    /// command parser reads the same command with the same arguments (defaults filled in) back.
    func expectRoundTrip(_ spec: CommandSpec, filling options: [JSONValue]) throws {
        let filled = options.map { option -> (option: JSONValue, value: JSONValue) in
            (option, Self.sample(for: option, spec.argument(named: option["name"]?.string ?? "")))
        }
        let text = try decodedText(spec.name, filled)
        let parsed: ParsedInput
        do {
            parsed = try parser.parse(text)
        } catch {
            Issue.record("`\(text)` does not parse: \(error)")
            return
        }
        guard case .command(let invocation) = parsed else {
            Issue.record("`\(text)` is not the command \(spec.name): \(parsed)")
            return
        }
        var expected: [String: ArgumentValue] = [:]
        for argument in spec.args {
            let given = filled.first { $0.option["name"]?.string == argument.name }
            guard let raw = given.map({ Self.typed($0.value) }) ?? argument.defaultValue else { continue }
            expected[argument.name] = try argument.parseValue(raw)
        }
        #expect(invocation.command == spec.name, "\(text)")
        #expect(invocation.arguments == expected, "\(text)")
    }

    /// The text the decoder makes of a slash command with these options, as Discord sends it.
    func decodedText(_ command: String, _ filled: [(option: JSONValue, value: JSONValue)]) throws -> String {
        let options = filled.map { pair -> JSONValue in
            ["name": pair.option["name"] ?? .null, "type": pair.option["type"] ?? .null, "value": pair.value]
        }
        let interaction: JSONValue = [
            "type": 2, "id": "1190000000000000042", "application_id": "1100000000000000001", "token": "token-round-trip", "version": 1,
            "guild_id": "1150000000000000001", "channel_id": "1160000000000000010", "channel": ["id": "1160000000000000010", "type": 0],
            "member": ["user": ["id": "1170000000000000001", "username": "alice"], "roles": ["1180000000000000001"]],
            "data": ["id": "1200000000000000001", "name": .string(command), "type": 1, "options": .array(options)],
        ]
        guard case .accept(let inbound, _) = try DiscordInteractionDecoder.decide(body: Array(try interaction.data())) else {
            throw DiscordCommandsError(description: "the decoder did not accept /\(command)")
        }
        return try #require(inbound.text)
    }

    /// A value a person could pick for the option: its first choice, a number within its bounds, `true`, or text
    /// the argument accepts (a duration for a duration, else a name every pattern in `commands/` admits).
    static func sample(for option: JSONValue, _ argument: ArgumentSpec?) -> JSONValue {
        if let choice = option["choices"]?.array?.first?["value"] { return choice }
        switch option["type"]?.int {
        case 4:
            let low = option["min_value"]?.int ?? 1
            return .number(Double(min(max(3, low), option["max_value"]?.int ?? Int.max)))
        case 5:
            return true
        default:
            return .string(argument?.type == .duration ? "90m" : "fraud-2")
        }
    }

    /// An option's value as a person would type it.
    static func typed(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return String(Int(number))
        case .bool(let flag): return flag ? "true" : "false"
        case .array, .object, .null: return ""
        }
    }

    /// Discord's names: 1 to 32 lower-case letters, digits, `-`, `_` or `'`.
    static func isDiscordName(_ name: String) -> Bool {
        name.range(of: #"^[-_'\p{Ll}\p{Lo}\p{N}]{1,32}$"#, options: .regularExpression) != nil
    }
}
