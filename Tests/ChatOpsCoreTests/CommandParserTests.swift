import ChatOpsCore
import Testing

@Suite("CommandParser: the ways people address the bot")
struct CommandParserAddressingTests {
    let expected: [String: ArgumentValue] = ["model": .string("fraud"), "version": .string("v12"), "env": .string("prod")]

    @Test(arguments: [
        "/deploy fraud v12 --env prod",
        "/mlops deploy fraud v12 env=prod",
        "@chatops deploy fraud v12 --env prod",
        "@ChatOps: deploy fraud v12 --env prod",
        "@ChatOps, deploy fraud v12 --env prod",
        "deploy fraud v12 --env=prod",
        "deploy --env prod fraud v12",
        "deploy --model fraud --version v12 --env prod",
        "/DEPLOY fraud v12 --env PROD",
    ])
    func everyFormGivesTheSameInvocation(text: String) throws {
        let invocation = try Fixtures.invocation(text)
        #expect(invocation.command == "deploy")
        #expect(invocation.arguments == expected)
    }

    @Test func threadAnswersAreTheBuiltinVotesAndProposalAnswers() {
        for word in ["approve", "LGTM", "reject", "deny", "run", "Cancel"] {
            #expect(CommandParser.answersPendingRequest(word), "\(word) answers a pending request")
        }
        for word in ["deploy", "help", "unlock", "thanks", ""] {
            #expect(!CommandParser.answersPendingRequest(word), "\(word) is not an answer")
        }
    }

    @Test func aPlatformsMentionSyntaxIsNotTheParsersToRead() {
        // Decoders strip `<@U…>`; left in, it is an unknown command, not silently dropped.
        #expect(throws: ParseError.self) { try Fixtures.parser.parse("<@U123> deploy fraud v12") }
    }

    @Test func defaultsAreFilledInAndOptionalArgumentsLeftOut() throws {
        let invocation = try Fixtures.invocation("@chatops deploy fraud v12")
        #expect(invocation.arguments == ["model": .string("fraud"), "version": .string("v12"), "env": .string("staging")])
        #expect(invocation.arguments["canary"] == nil)
    }

    @Test func aMentionOfAnotherNameIsNotStripped() throws {
        let error = try Fixtures.parseError("@someoneelse deploy fraud v12")
        #expect(error.kind == .unknownCommand)
    }

    @Test func aCommandNamedWithADashIsASubCommandOfTheFirstWord() throws {
        let eval = CommandSpec(
            name: "eval", summary: "Evaluate",
            args: [
                ArgumentSpec(name: "model", type: .string), ArgumentSpec(name: "version", type: .string, optional: true, positional: true),
            ],
            allow: ["*"], action: ActionSpec(backend: "evals", operation: "eval"))
        let cancel = CommandSpec(
            name: "eval-cancel", summary: "Stop an eval", args: [ArgumentSpec(name: "run", type: .string)], allow: ["*"],
            action: ActionSpec(backend: "evals", operation: "cancel"))
        let parser = CommandParser(registry: try CommandRegistry(specs: [eval, cancel]))
        func invocation(_ text: String) throws -> Invocation? {
            guard case .command(let invocation) = try parser.parse(text) else { return nil }
            return invocation
        }
        for text in ["/eval cancel r-42", "@chatops eval CANCEL r-42", "/mlops eval cancel r-42", "eval-cancel r-42"] {
            let parsed = try invocation(text)
            #expect(parsed?.command == "eval-cancel" && parsed?.arguments == ["run": .string("r-42")], "\(text)")
        }
        let evaluated = try invocation("/eval fraud v3")
        #expect(evaluated?.command == "eval" && evaluated?.arguments == ["model": .string("fraud"), "version": .string("v3")])
        // Without a command `status-cancel`, `cancel` is just a value of `status`.
        #expect(try Fixtures.invocation("/status cancel").arguments == ["model": .string("cancel")])
    }

    @Test func aliasesResolveToTheCommand() throws {
        let invocation = try Fixtures.invocation("st fraud")
        #expect(invocation.command == "status")
        #expect(invocation.arguments == ["model": .string("fraud")])
    }

    @Test func emptyTextOrABareMentionIsNotACommand() throws {
        #expect(try Fixtures.parser.parse("") == .notACommand)
        #expect(try Fixtures.parser.parse("   ") == .notACommand)
        #expect(try Fixtures.parser.parse("@chatops") == .notACommand)
    }

    @Test func theRootCommandAloneAsksForHelp() throws {
        #expect(try Fixtures.parser.parse("/mlops") == .builtin(.help(topic: nil)))
    }

    @Test func withoutARootCommandItsNameIsJustAnUnknownCommand() throws {
        let parser = CommandParser(registry: Fixtures.registry, rootCommand: nil)
        #expect(throws: ParseError.self) { try parser.parse("/mlops deploy fraud v12") }
    }
}

@Suite("CommandParser: values")
struct CommandParserValueTests {
    @Test func quotedValuesKeepTheirSpaces() throws {
        let invocation = try Fixtures.invocation(#"status "fraud model""#)
        #expect(invocation.arguments["model"] == .string("fraud model"))
    }

    @Test func curlyQuotesFromChatClientsWorkLikeStraightOnes() throws {
        let double = try Fixtures.invocation("status \u{201C}fraud model\u{201D}")
        let single = try Fixtures.invocation("status \u{2018}fraud model\u{2019}")
        #expect(double.arguments["model"] == .string("fraud model"))
        #expect(single.arguments["model"] == .string("fraud model"))
    }

    @Test func anUnterminatedQuoteIsMalformed() throws {
        let error = try Fixtures.parseError(#"deploy "fraud v12"#)
        #expect(error.kind == .malformed)
        #expect(error.command == nil)
    }

    @Test func percentAcceptsAPercentSign() throws {
        #expect(try Fixtures.invocation("deploy fraud v12 --canary 10%").arguments["canary"] == .percent(10))
        #expect(try Fixtures.invocation("deploy fraud v12 --canary 25").arguments["canary"] == .percent(25))
        #expect(try Fixtures.parseError("deploy fraud v12 --canary 101").kind == .invalidValue)
    }

    @Test func durationsAreParsedToSeconds() throws {
        #expect(try Fixtures.invocation("metrics fraud").arguments["window"] == .duration(seconds: 3600))
        #expect(try Fixtures.invocation("metrics fraud --window 1h30m").arguments["window"] == .duration(seconds: 5400))
        #expect(try Fixtures.invocation("metrics fraud window=15m").arguments["window"] == .duration(seconds: 900))
        let error = try Fixtures.parseError("metrics fraud --window soon")
        #expect(error.kind == .invalidValue)
        #expect(error.message.contains("duration"))
    }

    @Test func booleanFlagsNeedNoValue() throws {
        #expect(try Fixtures.invocation("metrics fraud").arguments["detailed"] == .boolean(false))
        #expect(try Fixtures.invocation("metrics fraud --detailed").arguments["detailed"] == .boolean(true))
        #expect(try Fixtures.invocation("metrics --detailed fraud").arguments["detailed"] == .boolean(true))
        #expect(try Fixtures.invocation("metrics fraud --no-detailed").arguments["detailed"] == .boolean(false))
        #expect(try Fixtures.invocation("metrics fraud --detailed=no").arguments["detailed"] == .boolean(false))
        #expect(try Fixtures.invocation("metrics fraud detailed=yes").arguments["detailed"] == .boolean(true))
    }

    @Test func noPrefixOnlyNegatesBooleans() throws {
        let error = try Fixtures.parseError("deploy fraud v12 --no-env")
        #expect(error.kind == .unknownArgument)
    }
}

@Suite("CommandParser: mistakes get helpful errors")
struct CommandParserErrorTests {
    @Test func unknownCommandSuggestsTheClosest() throws {
        let error = try Fixtures.parseError("/deploi fraud v12")
        #expect(error.kind == .unknownCommand)
        #expect(error.suggestions.first == "deploy")
        #expect(error.message.contains("`deploy`"))
    }

    @Test func unknownOptionSuggestsTheClosest() throws {
        let error = try Fixtures.parseError("deploy fraud v12 --evn prod")
        #expect(error.kind == .unknownArgument)
        #expect(error.suggestions == ["env"])
        #expect(error.command == "deploy")
        #expect(error.message.contains("--env"))
        #expect(error.message.contains("Usage: `deploy <model> <version>"))
    }

    @Test func badEnumValueListsTheChoices() throws {
        let close = try Fixtures.parseError("deploy fraud v12 --env prdo")
        #expect(close.kind == .invalidValue)
        #expect(close.suggestions == ["prod"])
        let far = try Fixtures.parseError("deploy fraud v12 --env moon")
        #expect(far.suggestions == ["staging", "prod"])
        #expect(far.message.contains("staging, prod"))
    }

    @Test func patternMismatchIsRefused() throws {
        let error = try Fixtures.parseError("deploy Fraud_Model v12")
        #expect(error.kind == .invalidValue)
        #expect(error.message.contains("Fraud_Model"))
    }

    @Test func integersMustBeInRange() throws {
        #expect(try Fixtures.invocation("scale fraud 50").arguments["replicas"] == .integer(50))
        #expect(try Fixtures.invocation("scale fraud 0").arguments["replicas"] == .integer(0))
        let high = try Fixtures.parseError("scale fraud 51")
        #expect(high.kind == .invalidValue)
        #expect(high.message.contains("at most 50"))
        #expect(try Fixtures.parseError("scale fraud -1").message.contains("at least 0"))
        #expect(try Fixtures.parseError("scale fraud three").message.contains("whole number"))
    }

    @Test func aMissingRequiredArgumentIsNamed() throws {
        let error = try Fixtures.parseError("deploy fraud")
        #expect(error.kind == .missingArgument)
        #expect(error.message.contains("`version` is missing"))
    }

    @Test func anOptionWithoutItsValueIsMissing() throws {
        let error = try Fixtures.parseError("deploy fraud v12 --env")
        #expect(error.kind == .missingArgument)
        #expect(error.suggestions == ["staging", "prod"])
    }

    @Test func oneArgumentTooMany() throws {
        let error = try Fixtures.parseError("deploy fraud v12 extra")
        #expect(error.kind == .tooManyArguments)
        #expect(error.message.contains("`extra`"))
    }
}

@Suite("CommandParser: built-in commands")
struct CommandParserBuiltinTests {
    @Test func help() throws {
        #expect(try Fixtures.parser.parse("help") == .builtin(.help(topic: nil)))
        #expect(try Fixtures.parser.parse("/mlops help Deploy") == .builtin(.help(topic: "deploy")))
    }

    @Test func approveWithAnID() throws {
        #expect(try Fixtures.parser.parse("approve k7q2m9") == .builtin(.vote(.approve, approvalID: "k7q2m9", comment: nil)))
        #expect(try Fixtures.parser.parse("@chatops lgtm k7q2m9") == .builtin(.vote(.approve, approvalID: "k7q2m9", comment: nil)))
    }

    @Test func approveWithoutAnIDMeansThisThread() throws {
        #expect(try Fixtures.parser.parse("approve") == .builtin(.vote(.approve, approvalID: nil, comment: nil)))
    }

    @Test func rejectKeepsTheReason() throws {
        #expect(
            try Fixtures.parser.parse("reject k7q2m9 too risky on a Friday")
                == .builtin(.vote(.reject, approvalID: "k7q2m9", comment: "too risky on a Friday")))
        #expect(try Fixtures.parser.parse("/mlops deny k7q2m9") == .builtin(.vote(.reject, approvalID: "k7q2m9", comment: nil)))
    }

    @Test func unlockNeedsATarget() throws {
        #expect(try Fixtures.parser.parse("unlock fraud@prod") == .builtin(.unlock(target: "fraud@prod")))
        let error = try Fixtures.parseError("unlock")
        #expect(error.kind == .missingArgument)
        #expect(error.command == "unlock")
    }
}

@Suite("CommandParser: edge cases")
struct CommandParserEdgeCaseTests {
    /// Chat clients turn `don't` into `don’t`; an apostrophe inside a word is text, not a quote.
    @Test func anApostropheInsideAWordIsNotAQuote() throws {
        let parsed = try Fixtures.parser.parse("reject k7q2m9 don\u{2019}t ship it")
        guard case .builtin(.vote(.reject, "k7q2m9", let comment)) = parsed else {
            Issue.record("parsed as \(parsed)")
            return
        }
        #expect(comment == "don't ship it")
    }

    @Test func quotesStillOpenAfterAnEqualsSign() throws {
        #expect(try Tokenizer.split("note='two words' --reason=\"a b\"") == ["note=two words", "--reason=a b"])
    }
}
