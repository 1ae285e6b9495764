import ChatOpsCore
import ChatPlatforms
import Foundation
import Testing

@Suite("Block Kit rendering")
struct SlackBlockKitTests {
    func allText(_ message: SlackBlockKit.Message) throws -> String {
        message.text + String(decoding: try JSONValue.array(message.blocks).data(), as: UTF8.self)
    }

    @Test func nothingFromUsersBackendsOrAModelCanPing() throws {
        let hostile = "<!channel> <!here> <!everyone> <!subteam^S123|devs> <@U999> & <https://evil|click>"
        let reply = Reply(title: hostile, text: hostile, fields: [Fact(hostile, hostile)], table: [[hostile]], footer: hostile)
        let text = try allText(SlackBlockKit.render(reply))
        #expect(!text.contains("<!"))
        #expect(!text.contains("<@"))
        #expect(!text.contains("<https"))
        #expect(text.contains("&lt;\u{2060}!channel&gt;"), "defused, then escaped")
        #expect(text.contains("&amp;"))
    }

    @Test func broadcastWordsAreDefusedEverywhereAndMrkdwnIsVerbatim() throws {
        let loud = "@here @channel @everyone <!channel> @Here"
        let reply = Reply(
            tone: .warning, title: "rollout \(loud)", text: "backend says \(loud)", fields: [Fact("who \(loud)", "value \(loud)")],
            table: [["pod", "note"], ["a-1", loud]], footer: "by \(loud)")
        #expect(MentionSafety.containsBroadcast(reply.text), "the reply as the engine wrote it is loud")
        let rendered = SlackBlockKit.render(reply)
        let texts = [rendered.text] + RenderedJSON.strings(in: .array(rendered.blocks))
        for text in texts {
            #expect(!MentionSafety.containsBroadcast(text), "still a broadcast: \(text)")
        }
        let mrkdwn = RenderedJSON.objects(in: .array(rendered.blocks)).filter { $0["type"] == "mrkdwn" }
        #expect(mrkdwn.count == 4, "title and text, one field, the table and the footer")
        #expect(mrkdwn.allSatisfy { $0["verbatim"] == .bool(true) }, "Slack parses nothing in them")
    }

    @Test func aModelsSummaryComesAfterTheFactsLabelledAsTheModelsAndDefused() throws {
        var reply = Reply(
            tone: .success, title: "`scale fraud 5`", text: "Scaled fraud in staging from 2 to 5 replicas.", fields: [Fact("replicas", "5/5 ready")])
        reply.modelNote = ModelNote(text: "fraud runs 5 replicas <!here> @channel", model: "smollm2")
        let blocks = SlackBlockKit.render(reply).blocks
        let texts = blocks.map { RenderedJSON.strings(in: $0).joined(separator: " ") }
        let facts = try #require(texts.firstIndex { $0.contains("Scaled fraud in staging from 2 to 5 replicas.") })
        let fields = try #require(texts.firstIndex { $0.contains("5/5 ready") })
        let note = try #require(texts.firstIndex { $0.contains("Summary written by the language model smollm2") })
        #expect(facts < note && fields < note, "the facts first, the model's words after them")
        #expect(!texts[note].contains("<!") && texts[note].contains("@\u{2060}channel"), "\(texts[note])")
        reply.modelNote?.writing = true
        let writing = SlackBlockKit.render(reply).blocks.map { RenderedJSON.strings(in: $0).joined(separator: " ") }
        #expect(writing.contains { $0.contains("(still writing)") && $0.contains("channel …") }, "the partial ends in an ellipsis")
        let console = ConsoleRenderer.render(reply)
        #expect(
            console.contains("Scaled fraud in staging")
                && console.contains("🤖 Summary written by the language model smollm2 (still writing): fraud runs 5 replicas"))
        #expect(try #require(console.range(of: "5/5 ready")).lowerBound < (try #require(console.range(of: "🤖"))).lowerBound)
    }

    @Test func approvalButtonsCarryTheirValue() throws {
        let reply = Reply(
            tone: .pending, title: "Approval needed", text: "x",
            buttons: [
                ButtonAction(kind: .approve, label: "Approve", requestID: "k7q2m9", fingerprint: String(repeating: "ab", count: 32)),
                ButtonAction(kind: .reject, label: "Reject", requestID: "k7q2m9", fingerprint: String(repeating: "ab", count: 32)),
            ])
        let actions = try #require(SlackBlockKit.render(reply).blocks.first { $0["type"] == "actions" })
        guard case .array(let elements)? = actions["elements"] else {
            Issue.record("no elements")
            return
        }
        #expect(elements.map { $0["action_id"] } == ["approve", "reject"])
        #expect(elements.map { $0["value"] } == ["approve:k7q2m9:abababababababab", "reject:k7q2m9:abababababababab"])
        #expect(elements.map { $0["style"] } == ["primary", "danger"])
    }

    @Test func runIsPrimaryAndCancelHasNoStyle() throws {
        let reply = Reply(
            tone: .pending, title: "Did you mean `rollback fraud`?", text: "x",
            buttons: [
                ButtonAction(kind: .run, label: "Run", requestID: "p2q3r4", fingerprint: String(repeating: "0", count: 64)),
                ButtonAction(kind: .cancel, label: "Cancel", requestID: "p2q3r4", fingerprint: String(repeating: "0", count: 64)),
            ])
        let actions = try #require(SlackBlockKit.render(reply).blocks.first { $0["type"] == "actions" })
        let elements = try #require(actions["elements"]?.array)
        #expect(elements.map { $0["action_id"] } == ["run", "cancel"])
        #expect(elements.map { $0["style"] } == ["primary", nil], "Slack accepts only primary or danger; Cancel leaves it out")
    }

    @Test func limitsAreKeptAndOverflowIsFlagged() {
        let many = Reply(text: "x", fields: (0..<25).map { Fact("f\($0)", "v") })
        let rendered = SlackBlockKit.render(many)
        #expect(rendered.blocks.count == 4, "one text section and fields in sections of at most 10")
        #expect(!rendered.tooLong)
        let long = SlackBlockKit.render(Reply(text: "x", table: (0..<500).map { ["row \($0)", String(repeating: "y", count: 20)] }))
        #expect(long.tooLong)
        #expect(
            long.blocks.allSatisfy { block in
                guard case .string(let text)? = block["text"]?["text"] else { return true }
                return text.count <= SlackBlockKit.maxSectionText
            })
        #expect(long.text.count <= SlackBlockKit.maxFallbackText)
    }
}

/// Walks rendered Block Kit JSON.
enum RenderedJSON {
    /// Every string value in a document (keys excluded).
    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .array(let items): return items.flatMap { strings(in: $0) }
        case .object(let members): return members.values.flatMap { strings(in: $0) }
        default: return []
        }
    }

    /// Every object in a document, nested ones included.
    static func objects(in value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let items): return items.flatMap { objects(in: $0) }
        case .object(let members): return [value] + members.values.flatMap { objects(in: $0) }
        default: return []
        }
    }
}
