// libFuzzer target: configuration text into `SecretExpander` (one value, and a whole file parsed with its
// references held by placeholders). Built and run by `scripts/fuzz SecretExpander`.
import ChatOpsCore
import ChatOpsServer
import Foundation
import FuzzChecks

/// What `${NAME}` references resolve against: set, empty, nested and odd values.
let fuzzEnvironment: [String: String] = [
    "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
    "SLACK_BOT_TOKEN": "xoxb-fuzz-seed-not-a-token",
    "DB_PASSWORD": "hunter2hunter2",
    "HOST": "db.internal",
    "PORT": "5432",
    "EMPTY": "",
    "NESTED": "${HOST}",
    "BRACE": "}",
    "UNICODE": "pässwörd-✓",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSecretExpander(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzChecks.run(data, size, target: "SecretExpander") { expanderProblems($0) }
}

/// `${file:…}` reads the file. Text naming device, process, system or runtime files is skipped (reading
/// /dev/zero never ends, /dev/stdin or a FIFO waits), so the fuzzer finds faults in the code, not the machine.
func readsSpecialFiles(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    func has(_ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard bytes.count >= pattern.count else { return false }
        return (0...(bytes.count - pattern.count)).contains { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
    return has("file:") && ["/dev", "/proc", "/sys", "/run", "/tmp"].contains(where: has)
}

/// How many `${` the text holds, counted in bytes as the expander's regular expression sees them.
func referenceStarts(_ text: String) -> Int {
    var count = 0
    var previous: UInt8 = 0
    for byte in text.utf8 {
        if previous == UInt8(ascii: "$"), byte == UInt8(ascii: "{") { count += 1 }
        previous = byte
    }
    return count
}

/// Every scalar value of the document, in order, as `mappingValues` visits them.
func scalarValues(of document: YAMLDocument) -> [String] {
    var values: [String] = []
    _ = document.mappingValues { value, _ in
        values.append(value)
        return (value, false)
    }
    return values
}

func expanderProblems(_ text: String) -> [String] {
    var problems: [String] = []
    if readsSpecialFiles(text) { return problems }
    var reported: [String] = []
    let expanded = SecretExpander.expand(text, environment: fuzzEnvironment) { reported.append($0) }
    if referenceStarts(text) == 0, expanded != text || !reported.isEmpty {
        problems.append("a value without references changed to \(expanded.debugDescription) or was reported: \(reported)")
    }
    if reported.count > referenceStarts(text) {
        problems.append("\(reported.count) problems reported for \(referenceStarts(text)) references")
    }
    guard let parsed = try? SecretExpander.parse(file: "fuzz.yaml", text: text, environment: fuzzEnvironment) else { return problems }
    for issue in parsed.issues where issue.file != "fuzz.yaml" { problems.append("an issue names `\(issue.file)`") }
    // When the text parses as written, expansion keeps its shape: as many values, and those without references unchanged.
    if let plain = try? YAMLDocument(file: "fuzz.yaml", text: text) {
        let before = scalarValues(of: plain)
        let after = scalarValues(of: parsed.document)
        if after.count != before.count {
            problems.append("expansion changed the number of values from \(before.count) to \(after.count)")
        } else {
            for (old, new) in zip(before, after) where referenceStarts(old) == 0 && old != new {
                problems.append("the value \(old.debugDescription) without references became \(new.debugDescription)")
            }
        }
    }
    // What the loader does next; it must not crash whatever the values became.
    _ = try? parsed.document.decode(BotConfiguration.self)
    return problems
}
