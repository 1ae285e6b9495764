import ChatOpsCore
import Evaluation
import Testing

@Suite("Eval checks")
struct CheckEvaluatorTests {
    func verdict(_ check: EvalCheck, _ text: String, latency: Double = 100) -> CheckVerdict? {
        CheckEvaluator.verdict(of: check, on: EvalAnswer(text: text, latencyMilliseconds: latency))
    }

    @Test func exactMatchIgnoresSurroundingSpaceAndCaseOnlyWhenAsked() {
        #expect(verdict(.exact("Paris", ignoreCase: false), "  Paris\n") == .pass)
        #expect(verdict(.exact("Paris", ignoreCase: false), "paris") == .fail("the answer is not exactly `Paris`"))
        #expect(verdict(.exact("Paris", ignoreCase: true), "PARIS") == .pass)
        #expect(verdict(.exact("Paris", ignoreCase: false), "Paris, France") != .pass)
    }

    @Test func containsAndNotContains() {
        #expect(verdict(.contains("refund", ignoreCase: false), "We will refund you.") == .pass)
        #expect(verdict(.contains("Refund", ignoreCase: false), "We will refund you.") == .fail("the answer does not contain `Refund`"))
        #expect(verdict(.contains("Refund", ignoreCase: true), "We will refund you.") == .pass)
        #expect(verdict(.notContains("password", ignoreCase: true), "Your PASSWORD is x") == .fail("the answer contains `password`"))
        #expect(verdict(.notContains("password", ignoreCase: true), "I cannot share that.") == .pass)
    }

    @Test func regexMatchesAnywhereInTheAnswer() {
        #expect(verdict(.regex(#"\bv\d+\b"#), "deployed v12 to prod") == .pass)
        #expect(verdict(.regex(#"^\d{4}-\d{2}-\d{2}$"#), "2026-11-30") == .pass)
        #expect(verdict(.regex(#"^\d{4}-\d{2}-\d{2}$"#), "on 2026-11-30") == .fail(#"nothing in the answer matches `^\d{4}-\d{2}-\d{2}$`"#))
    }

    @Test func jsonSchemaReadsTheAnswerOrItsFencedBlock() {
        let schema: JSONValue = ["type": "object", "required": ["name"], "properties": ["name": ["type": "string"], "age": ["type": "number"]]]
        #expect(verdict(.jsonSchema(schema), #"{"name": "Ann", "age": 31}"#) == .pass)
        #expect(verdict(.jsonSchema(schema), "Here it is:\n```json\n{\"name\": \"Ann\"}\n```\nDone.") == .pass)
        #expect(verdict(.jsonSchema(schema), #"{"age": 31}"#) == .fail("$: `name` is missing"))
        #expect(verdict(.jsonSchema(schema), #"{"name": 5}"#) == .fail("$.name: not a string"))
        #expect(verdict(.jsonSchema(schema), "name: Ann") == .fail("the answer is not JSON"))
    }

    @Test func numberTakesTheLastNumberWithinTheTolerance() {
        #expect(verdict(.number(4, tolerance: 0), "2 + 2 = 4") == .pass)
        #expect(verdict(.number(1234.5, tolerance: 0.01), "The total is 1,234.5.") == .pass)
        #expect(verdict(.number(-3, tolerance: 0), "It is -3") == .pass)
        #expect(verdict(.number(4, tolerance: 0.5), "2 + 2 = 5") == .fail("5 is not within 0.5 of 4"))
        #expect(verdict(.number(4, tolerance: 0), "four") == .fail("the answer has no number"))
    }

    @Test func latencyIsCheckedAgainstItsLimit() {
        #expect(verdict(.maxLatency(milliseconds: 500), "x", latency: 499.9) == .pass)
        #expect(verdict(.maxLatency(milliseconds: 500), "x", latency: 750) == .fail("answered in 750 ms, more than 500 ms"))
    }

    @Test func theJudgeIsLeftToTheRunner() {
        #expect(verdict(.judge(rubric: "polite?"), "Hello") == nil)
    }
}
