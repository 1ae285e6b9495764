import ChatOpsCore
import Foundation
import Testing

@testable import ChatPlatforms

@Suite("Discord messages from replies")
struct DiscordMessageTests {
    static let fingerprint = String(repeating: "0123456789abcdef", count: 4)

    static func buttons(_ kinds: [ButtonAction.Kind], label: String? = nil) -> [ButtonAction] {
        kinds.map { ButtonAction(kind: $0, label: label ?? $0.rawValue.capitalized, requestID: "k7q2m9", fingerprint: fingerprint) }
    }

    static let long = Reply(
        title: "Scaled fraud", text: "Every replica, one per row.",
        table: [["replica", "state"]] + (0..<300).map { ["fraud-\($0)", "ready since a while ago"] }, footer: "@everyone see above")

    static let replies = [
        Reply(text: "plain"), Reply.error("only for you"), Reply(title: "Approve?", text: "vote", buttons: buttons([.approve, .reject])), long,
    ]

    func content(_ reply: Reply) -> String {
        DiscordMessage.render(reply).body["content"]?.string ?? ""
    }

    @Test func noMessageMentionsAnyone() {
        for reply in Self.replies {
            #expect(DiscordMessage.render(reply).body["allowed_mentions"] == ["parse": []], "\(reply.text)")
        }
    }

    @Test func broadcastMentionsAreDefused() {
        let text = content(Reply(title: "@here deploy", text: "ping @everyone and @here", fields: [Fact("by", "@everyone")], footer: "@here"))
        #expect(!text.contains("@everyone"))
        #expect(!text.contains("@here"))
        #expect(!MentionSafety.containsBroadcast(text))
    }

    @Test func markdownFromValuesShowsAsWritten() {
        let text = content(
            Reply(
                title: "Deployed `fraud_v2`",
                text: "model fraud_v2 is *live*, see [docs](https://evil.example/x) or https://mlflow.example/runs/a_b.",
                fields: [Fact("owner", "> quoted")], table: [["cell with ``` fence"]], footer: "done"))
        #expect(text.contains("**Deployed `fraud_v2`**"), "code spans are kept")
        #expect(text.contains(#"model fraud\_v2 is \*live\*"#))
        #expect(text.contains(#"\[docs\](<https://evil.example/x>)"#), "a disguised link is shown as text")
        #expect(text.contains("<https://mlflow.example/runs/a_b>."), "links stay whole, without a preview")
        #expect(text.contains(#"**owner:** \> quoted"#))
        #expect(text.components(separatedBy: "```").count == 3, "a cell cannot end the table's code block")
        #expect(text.hasSuffix("\n-# done"))
    }

    @Test func buttonsAreOneRowWithTheirStylesAndPayloads() throws {
        let shown = Self.buttons([.approve, .reject, .run, .cancel], label: String(repeating: "long label ", count: 12))
        let body = DiscordMessage.render(Reply(text: "choose", buttons: shown)).body
        let rows = try #require(body["components"]?.array)
        #expect(rows.count == 1)
        #expect(rows[0]["type"] == 1)
        let components = try #require(rows[0]["components"]?.array)
        #expect(components.map { $0["style"]?.int } == [3, 4, 1, 2])
        #expect(components.map { $0["custom_id"]?.string ?? "" } == shown.map(\.payload))
        for component in components {
            #expect(component["type"] == 2)
            #expect((component["custom_id"]?.string?.count ?? 101) <= DiscordMessage.maxCustomID)
            #expect((component["label"]?.string?.count ?? 81) <= DiscordMessage.maxButtonLabel)
            #expect(ButtonAction(payload: component["custom_id"]?.string ?? "") != nil, "a click reads the payload back")
        }
        let many = DiscordMessage.render(Reply(text: "many", buttons: Self.buttons(Array(repeating: .approve, count: 7)))).body
        #expect(many["components"]?.array?.map { $0["components"]?.array?.count } == [5, 2])
    }

    @Test func onlyPrivateRepliesAreEphemeral() {
        #expect(DiscordMessage.render(Reply.error("nope")).body["flags"] == 64)
        #expect(DiscordMessage.render(Reply(text: "for all")).body["flags"] == nil)
    }

    @Test func aLongReplyFitsAndCarriesTheWholeTextAsAFile() throws {
        let rendered = DiscordMessage.render(Self.long)
        let text = try #require(rendered.body["content"]?.string)
        #expect(text.utf16.count <= DiscordMessage.maxContent)
        #expect(text.hasSuffix("(full result attached)"))
        #expect(text.contains("Scaled fraud"))
        let attachment = try #require(rendered.attachment)
        #expect(attachment.contains("fraud-299"), "the file holds every row")
        #expect(!attachment.contains("@everyone"))
        #expect(DiscordMessage.render(Reply(text: "short")).attachment == nil)
        let huge = DiscordMessage.render(Reply(text: String(repeating: "é", count: 5_000)))
        #expect((huge.body["content"]?.string?.utf16.count ?? .max) <= DiscordMessage.maxContent)
        #expect(huge.attachment != nil)
    }

    @Test func aFileGoesAsMultipartWithItsAttachmentListed() throws {
        let file = DiscordRESTClient.File(name: DiscordMessage.attachmentName, bytes: Array("whole result".utf8))
        let form = try DiscordMultipart(payload: ["content": "start"], file: file, boundary: "B0UNDARY")
        let text = String(decoding: form.bytes, as: UTF8.self)
        #expect(form.contentType == "multipart/form-data; boundary=B0UNDARY")
        let parts = text.components(separatedBy: "--B0UNDARY")
        #expect(parts.count == 4, "two parts and the closing boundary")
        let payloadPart = try #require(parts.first { $0.contains(#"name="payload_json""#) })
        let json = try #require(payloadPart.components(separatedBy: "\r\n\r\n").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        let payload = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(payload["attachments"] == [["id": 0, "filename": "result.txt"]])
        #expect(payload["content"] == "start")
        #expect(text.contains(#"name="files[0]"; filename="result.txt""#))
        #expect(text.contains("\r\n\r\nwhole result\r\n--B0UNDARY--\r\n"))
    }
}
