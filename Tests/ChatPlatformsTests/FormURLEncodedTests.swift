import ChatPlatforms
import Foundation
import Testing

@Suite("Form bodies, decoded byte by byte")
struct FormURLEncodedTests {
    /// What Foundation makes of one field, as the decoder did before it read bytes itself.
    static func foundation(_ field: Substring) -> String? {
        field.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    static func reference(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = foundation(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? foundation(parts[1]) ?? "" : ""
        }
        return fields
    }

    @Test(arguments: [
        "command=%2Fdeploy&text=fraud+v12+--env+prod&user_id=U1",
        "text=%E2%9C%85+done&empty=&flag", "a=1&a=2", "broken=%zz&ok=1", "%zz=dropped&kept=1", "half=%4&x=%",
        "not-utf8=%FF%FE&latin=%C3%A9", "plus=%2B+%2b", "==&=x&x==", "&&&", "", "emoji=👍+%F0%9F%91%8D",
        "response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F2%2Fabc",
    ])
    func agreesWithFoundation(body: String) {
        #expect(FormURLEncoded.decode(body) == Self.reference(body))
    }

    @Test func aSlashCommandBodyReadsAsSlackSentIt() {
        let fields = FormURLEncoded.decode("command=%2Fdeploy&text=fraud+v12+--env+prod&response_url=https%3A%2F%2Fhooks.slack.com%2Fx")
        #expect(fields == ["command": "/deploy", "text": "fraud v12 --env prod", "response_url": "https://hooks.slack.com/x"])
    }
}
