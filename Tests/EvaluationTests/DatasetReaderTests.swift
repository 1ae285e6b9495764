import ChatOpsCore
import Evaluation
import LLM
import Testing

@Suite("Eval datasets in JSON Lines")
struct DatasetReaderTests {
    @Test func casesAreReadWithTheirMessagesSlicesAndChecks() {
        let text = """
            # arithmetic
            {"id": "sum-1", "input": "What is 2 + 2?", "slice": "math", "checks": [{"type": "number", "value": 4, "tolerance": 0.5}]}

            {"messages": [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "A user?"}], "checks": [{"type": "json_schema", "schema": {"type": "object"}}, {"type": "contains", "value": "Ann", "ignore_case": true}]}
            {"id": 7, "input": "hi", "checks": [{"type": "judge", "rubric": "Is it polite?"}, {"type": "max_latency_ms", "value": 2000}]}
            """
        let (cases, problems) = DatasetReader.read(text)
        #expect(problems.isEmpty)
        #expect(cases.map(\.id) == ["sum-1", "line-4", "7"])
        #expect(cases[0].messages == [ChatMessage(.user, "What is 2 + 2?")])
        #expect(cases[0].slice == "math")
        #expect(cases[0].checks == [.number(4, tolerance: 0.5)])
        #expect(cases[1].messages == [ChatMessage(.system, "Answer in JSON."), ChatMessage(.user, "A user?")])
        #expect(cases[1].checks == [.jsonSchema(["type": "object"]), .contains("Ann", ignoreCase: true)])
        #expect(cases[2].checks == [.judge(rubric: "Is it polite?"), .maxLatency(milliseconds: 2000)])
    }

    @Test func aBadLineIsReportedWithItsNumberAndTheOthersAreKept() {
        let text = """
            {"id": "ok-1", "input": "a", "checks": [{"type": "exact", "value": "a"}]}
            {"id": "broken", "input": "a", "checks": [
            {"id": "no-checks", "input": "a"}
            {"id": "both", "input": "a", "messages": [{"role": "user", "content": "a"}], "checks": [{"type": "exact", "value": "a"}]}
            {"id": "typo", "input": "a", "checks": [{"type": "contain", "value": "a"}]}
            {"id": "regex", "input": "a", "checks": [{"type": "regex", "pattern": "("}]}
            {"id": "role", "messages": [{"role": "robot", "content": "a"}], "checks": [{"type": "exact", "value": "a"}]}
            {"id": "ok-1", "input": "again", "checks": [{"type": "exact", "value": "a"}]}
            {"id": "number", "input": "a", "checks": [{"type": "number", "value": "four"}]}
            {"id": "ok-2", "input": "b", "checks": [{"type": "regex", "pattern": "^b$"}]}
            """
        let (cases, problems) = DatasetReader.read(text)
        #expect(cases.map(\.id) == ["ok-1", "ok-2"])
        #expect(problems.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9])
        #expect(problems[0].message == "not valid JSON")
        #expect(problems[1].message.contains("`checks`"))
        #expect(problems[2].message.contains("not both"))
        #expect(problems[3].description.hasPrefix("line 5: check 1: unknown type `contain`"))
        #expect(problems[3].message.contains("contains"), "the known types are listed")
        #expect(problems[4].message.contains("not a valid regular expression"))
        #expect(problems[5].message.contains("`role`"))
        #expect(problems[6].message.contains("`ok-1` is used by an earlier line"))
        #expect(problems[7].message.contains("`value` as a number"))
    }
}

@Suite("Eval datasets: files from elsewhere")
struct DatasetReaderFileTests {
    @Test func windowsLineEndingsAndAByteOrderMarkAreRead() {
        let text =
            "\u{FEFF}{\"id\": \"a\", \"input\": \"x\", \"checks\": [{\"type\": \"exact\", \"value\": \"x\"}]}\r\n\r\n"
            + "{\"id\": \"b\", \"input\": \"y\", \"checks\": [{\"type\": \"exact\"}]}\r\n"
        let (cases, problems) = DatasetReader.read(text)
        #expect(cases.map(\.id) == ["a"])
        #expect(problems.map(\.line) == [3], "the blank line between counts")
    }

    @Test func aSchemaKeywordTheValidatorWouldSkipIsRefusedWithItsLine() {
        let text = """
            {"id": "ok", "input": "x", "checks": [{"type": "json_schema", "schema": {"type": "object", "properties": {"n": {"type": "number", "minimum": 1}}}}]}
            {"id": "items", "input": "x", "checks": [{"type": "json_schema", "schema": {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}}]}
            {"id": "types", "input": "x", "checks": [{"type": "json_schema", "schema": {"type": ["string", "null"]}}]}
            """
        let (cases, problems) = DatasetReader.read(text)
        #expect(cases.map(\.id) == ["ok"])
        #expect(problems.map(\.line) == [2, 3])
        #expect(problems.first?.message.hasPrefix("check 1 (json_schema): `items` is not supported") == true)
        #expect(problems.last?.message.contains("`type (as a list)`") == true)
    }
}
