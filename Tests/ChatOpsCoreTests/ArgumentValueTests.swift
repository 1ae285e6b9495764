import ChatOpsCore
import Testing

@Suite("ArgumentSpec.parseValue and ArgumentValue forms")
struct ArgumentValueTests {
    @Test func stringsMustMatchTheWholePattern() throws {
        let spec = ArgumentSpec(name: "model", type: .string, pattern: "[a-z]+")
        #expect(try spec.parseValue("fraud") == .string("fraud"))
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("fraud1") }
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("1fraud") }
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("") }
    }

    @Test func anInvalidPatternRefusesEveryValue() {
        let spec = ArgumentSpec(name: "model", type: .string, pattern: "([a-z]")
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("a") }
    }

    @Test func integersRespectBothBounds() throws {
        let spec = ArgumentSpec(name: "replicas", type: .integer, min: 1, max: 3)
        #expect(try spec.parseValue("1") == .integer(1))
        #expect(try spec.parseValue("3") == .integer(3))
        let low = try #require(throws: ArgumentValueError.self) { try spec.parseValue("0") }
        #expect(low.argument == "replicas")
        #expect(low.message.contains("at least 1"))
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("4") }
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("2.5") }
    }

    @Test func percentFrom0To100() throws {
        let spec = ArgumentSpec(name: "canary", type: .percent)
        #expect(try spec.parseValue("0") == .percent(0))
        #expect(try spec.parseValue("100%") == .percent(100))
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("101") }
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("-1%") }
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("ten") }
    }

    @Test func durations() throws {
        let spec = ArgumentSpec(name: "window", type: .duration)
        #expect(try spec.parseValue("2h") == .duration(seconds: 7200))
        #expect(try spec.parseValue("45") == .duration(seconds: 45))
        #expect(throws: ArgumentValueError.self) { try spec.parseValue("2 hours") }
    }

    @Test(arguments: [("true", true), ("YES", true), ("on", true), ("1", true), ("false", false), ("No", false), ("off", false), ("0", false)])
    func booleans(text: String, value: Bool) throws {
        #expect(try ArgumentSpec(name: "force", type: .boolean).parseValue(text) == .boolean(value))
    }

    @Test func booleanRefusesOtherWords() {
        #expect(throws: ArgumentValueError.self) { try ArgumentSpec(name: "force", type: .boolean).parseValue("maybe") }
    }

    @Test func enumsMatchCaseInsensitivelyAndReturnTheDeclaredSpelling() throws {
        let spec = ArgumentSpec(name: "env", type: .enumeration, values: ["staging", "prod"])
        #expect(try spec.parseValue("PROD") == .string("prod"))
        let error = try #require(throws: ArgumentValueError.self) { try spec.parseValue("stagin") }
        #expect(error.suggestions == ["staging"])
    }

    @Test func valueForms() {
        #expect(ArgumentValue.percent(10).templateValue == "10")
        #expect(ArgumentValue.percent(10).typedForm == "10")
        #expect(ArgumentValue.percent(10).displayValue == "10%")
        #expect(ArgumentValue.duration(seconds: 5400).templateValue == "5400")
        #expect(ArgumentValue.duration(seconds: 5400).typedForm == "1h30m")
        #expect(ArgumentValue.duration(seconds: 5400).displayValue == "1h30m")
        #expect(ArgumentValue.boolean(true).templateValue == "true")
        #expect(ArgumentValue.integer(-3).displayValue == "-3")
        #expect(ArgumentValue.string("a b").typedForm == "a b")
    }

    @Test func requiredAndPositionalFollowFromDefaultsAndOptional() {
        let required = ArgumentSpec(name: "model", type: .string)
        let defaulted = ArgumentSpec(name: "env", type: .enumeration, values: ["a"], defaultValue: "a")
        let optional = ArgumentSpec(name: "canary", type: .percent, optional: true)
        let optionalPositional = ArgumentSpec(name: "model", type: .string, optional: true, positional: true)
        #expect(required.isRequired && required.isPositional)
        #expect(!defaulted.isRequired && !defaulted.isPositional)
        #expect(!optional.isRequired && !optional.isPositional)
        #expect(!optionalPositional.isRequired && optionalPositional.isPositional)
    }

    @Test func usageLine() {
        #expect(Fixtures.deploy.usageLine == "deploy <model> <version> [--env staging|prod] [--canary 0-100]")
        #expect(Fixtures.scale.usageLine == "scale <model> <replicas> [--env staging|prod]")
        #expect(Fixtures.metrics.usageLine == "metrics <model> [--window window] [--detailed]")
        #expect(Fixtures.status.usageLine == "status [model] [--env staging|prod]")
    }
}
