import ChatOpsCore
import ChatPlatforms
import Foundation
import Testing

@Suite("Slack payloads into inbounds")
struct SlackInboundDecoderTests {
    @Test func aSlashCommandBecomesAMessageWithItsResponseURL() throws {
        let body =
            "command=%2Fmlops&text=deploy+fraud+v12+env%3Dprod&user_id=U1&user_name=alice&channel_id=C9&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2Fx&trigger_id=T.1"
        guard case .inbound(let inbound) = try SlackInboundDecoder.slashCommand(body: body) else {
            Issue.record("not an inbound")
            return
        }
        #expect(inbound.text == "/mlops deploy fraud v12 env=prod")
        #expect(inbound.sender.qualifiedID == "slack:U1")
        #expect(inbound.conversation.channel == "C9")
        #expect(inbound.conversation.thread == nil)
        #expect(inbound.conversation.replyToken == "https://hooks.slack.com/commands/x")
        #expect(inbound.dedupeKey == "slack:command:T.1")
    }

    @Test func sslCheckAndIncompleteCommands() throws {
        #expect(try SlackInboundDecoder.slashCommand(body: "ssl_check=1&token=x") == .ignore(reason: "ssl_check"))
        #expect(throws: SlackDecodingError.self) { try SlackInboundDecoder.slashCommand(body: "text=hello") }
    }

    @Test func urlVerificationAnswersTheChallenge() throws {
        let body = #"{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
        #expect(try SlackInboundDecoder.event(body: Data(body.utf8)) == .challenge("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
    }

    func event(_ inner: String, id: String = "Ev1") -> Data {
        Data(#"{"type":"event_callback","team_id":"T1","event_id":"\#(id)","event_time":1,"event":\#(inner)}"#.utf8)
    }

    @Test func aMentionIsRepliedToInItsThread() throws {
        let request = try SlackInboundDecoder.event(
            body: event(#"{"type":"app_mention","user":"U1","text":"<@UBOT> deploy fraud v12","ts":"1.5","channel":"C9"}"#))
        guard case .inbound(let inbound) = request else {
            Issue.record("not an inbound")
            return
        }
        #expect(inbound.text == "deploy fraud v12", "the mention that addressed the bot is the platform's syntax, not the command's")
        #expect(inbound.replyConversation.thread == "1.5")
        #expect(inbound.dedupeKey == "slack:event:Ev1")
    }

    @Test func threadRepliesCountOnlyWhenTheyVote() throws {
        let vote = try SlackInboundDecoder.event(
            body: event(#"{"type":"message","user":"U2","text":"approve","ts":"2.0","thread_ts":"1.5","channel":"C9"}"#))
        guard case .inbound(let inbound) = vote else {
            Issue.record("a vote was dropped")
            return
        }
        #expect(inbound.conversation.thread == "1.5")
        let chatter = try SlackInboundDecoder.event(
            body: event(#"{"type":"message","user":"U2","text":"nice!","ts":"2.1","thread_ts":"1.5","channel":"C9"}"#))
        #expect(chatter == .ignore(reason: "thread chatter"))
        let topLevel = try SlackInboundDecoder.event(body: event(#"{"type":"message","user":"U2","text":"approve","ts":"2.2","channel":"C9"}"#))
        #expect(topLevel == .ignore(reason: "thread chatter"))
        let bot = try SlackInboundDecoder.event(
            body: event(#"{"type":"message","bot_id":"B1","text":"approve","ts":"2.3","thread_ts":"1.5","channel":"C9"}"#))
        #expect(bot == .ignore(reason: "bot or system message"))
    }

    @Test func aButtonClickCarriesItsValueAndThread() throws {
        let payload = #"""
            {"type":"block_actions","trigger_id":"111.222","user":{"id":"U2","username":"bob","team_id":"T1"},
             "container":{"type":"message","message_ts":"1.7","channel_id":"C9"},"channel":{"id":"C9","name":"ops"},
             "message":{"ts":"1.7","thread_ts":"1.5","text":"x"},"response_url":"https://hooks.slack.com/actions/x",
             "actions":[{"type":"button","action_id":"approve","block_id":"b","value":"approve:k7q2m9:0123456789abcdef","action_ts":"1712345690.123456"}]}
            """#
        let body = "payload=" + payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        guard case .inbound(let inbound) = try SlackInboundDecoder.interaction(body: body) else {
            Issue.record("not an inbound")
            return
        }
        #expect(inbound.kind == .button(ButtonAction(kind: .approve, label: "approve", requestID: "k7q2m9", fingerprint: "0123456789abcdef")))
        #expect(inbound.conversation.thread == "1.5")
        #expect(inbound.conversation.replyToken == "https://hooks.slack.com/actions/x")
        #expect(inbound.sender.qualifiedID == "slack:U2")
        #expect(
            try SlackInboundDecoder.interaction(body: "payload=%7B%22type%22%3A%22view_closed%22%2C%22user%22%3A%7B%22id%22%3A%22U1%22%7D%7D")
                == .ignore(reason: "interaction type view_closed"))
        #expect(throws: SlackDecodingError.self) { try SlackInboundDecoder.interaction(body: "payload=%7Bnot-json") }
        let mismatched = payload.replacingOccurrences(of: #""action_id":"approve""#, with: #""action_id":"run""#)
        let mismatchedBody = "payload=" + mismatched.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(
            try SlackInboundDecoder.interaction(body: mismatchedBody) == .ignore(reason: "not a button of the bot"),
            "a Run click must carry a run payload")
        let run = mismatched.replacingOccurrences(of: "approve:k7q2m9", with: "run:k7q2m9")
        guard
            case .inbound(let click) = try SlackInboundDecoder.interaction(
                body: "payload=" + run.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        else {
            Issue.record("a Run click is not an inbound")
            return
        }
        #expect(click.kind == .button(ButtonAction(kind: .run, label: "run", requestID: "k7q2m9", fingerprint: "0123456789abcdef")))
    }

    @Test func aButtonRenderedBeforeCompactPayloadsStillVotes() throws {
        let fingerprint = String(repeating: "0123456789abcdef", count: 4)
        let payload =
            #"{"type":"block_actions","user":{"id":"U2"},"channel":{"id":"C9"},"container":{"message_ts":"1.7"},"#
            + #""actions":[{"action_id":"approve","value":"k7q2m9:\#(fingerprint)","action_ts":"1.8"}]}"#
        guard case .inbound(let inbound) = try SlackInboundDecoder.interaction(body: payload) else {
            Issue.record("not an inbound")
            return
        }
        #expect(inbound.kind == .button(ButtonAction(kind: .approve, label: "approve", requestID: "k7q2m9", fingerprint: fingerprint)))
        let short = payload.replacingOccurrences(of: fingerprint, with: "abc")
        #expect(try SlackInboundDecoder.interaction(body: short) == .ignore(reason: "not a button of the bot"))
    }
}
