import ChatOpsCore
import Foundation
import Testing

@testable import ChatOpsStore

@Suite("The acknowledged message's job, written without JSONEncoder")
struct InboundMessageJSONTests {
    static let texts = [
        "/deploy fraud v12 --env prod", "", "quote \" backslash \\ slash / tab \t newline \n bell \u{07} nul \u{00}",
        "ünïcödé 🚀 <@U1> &amp;", String(repeating: "x", count: 5_000),
    ]

    static func messages() -> [Inbound] {
        var inbounds: [Inbound] = []
        for (index, text) in texts.enumerated() {
            let full = index.isMultiple(of: 2)
            inbounds.append(
                Inbound(
                    kind: .message(text: text),
                    sender: Principal(
                        platform: "slack", userID: "U\(index)\"", displayName: full ? "Ann \"the\" lead" : nil,
                        groups: full ? ["S1", "eng\\ml"] : []),
                    conversation: Conversation(
                        platform: "slack", channel: "C\(index)", thread: full ? "1700000000.000100" : nil,
                        replyToken: full ? "https://hooks.slack.com/commands/T1/2/abc" : nil),
                    replyThread: full ? "1700000000.000200" : nil, dedupeKey: "slack:command:\(index)",
                    receivedAt: Date(timeIntervalSinceReferenceDate: 817_753_466.195_838_2 + Double(index) * 1e-7)))
        }
        return inbounds
    }

    @Test(arguments: messages())
    func readsBackAsTheSameJobAndIsTheJSONOfTheEncoder(inbound: Inbound) throws {
        let payload = JobPayload.inbound(inbound)
        let text = try #require(InboundMessageJSON.text(of: payload))
        #expect(try JSONDecoder().decode(JobPayload.self, from: Data(text.utf8)) == payload)
        let ours = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        let encoders = try JSONSerialization.jsonObject(with: JSONEncoder().encode(payload)) as? NSDictionary
        #expect(ours != nil && ours == encoders)
        #expect(try DocumentCoding().encode(payload) == text)
    }

    @Test func anythingButAMessageGoesThroughTheEncoder() throws {
        let scheduled = Inbound(
            kind: .scheduled(entry: "nightly", text: "/status", skipped: 2), sender: Principal(platform: "schedule", userID: "nightly"),
            conversation: Conversation(platform: "slack", channel: "C1"), dedupeKey: "schedule:nightly:1")
        for payload in [JobPayload.inbound(scheduled), .runApproved(approvalID: "k7q2m9")] {
            #expect(InboundMessageJSON.text(of: payload) == nil)
            let text = try DocumentCoding().encode(payload)
            #expect(try JSONDecoder().decode(JobPayload.self, from: Data(text.utf8)) == payload)
        }
    }

    /// A property added to one of these types must be added to `InboundMessageJSON` too, or the
    /// message's job would lose it: this fails until it is.
    @Test func everyPropertyOfAMessageIsWritten() {
        let inbound = Self.messages()[0]
        let labels = { (value: Any) in Set(Mirror(reflecting: value).children.compactMap(\.label)) }
        #expect(labels(inbound) == ["id", "kind", "sender", "conversation", "replyThread", "dedupeKey", "receivedAt"])
        #expect(labels(inbound.sender) == ["platform", "userID", "displayName", "groups"])
        #expect(labels(inbound.conversation) == ["platform", "channel", "thread", "replyToken"])
    }
}
