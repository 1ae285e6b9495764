import ChatOpsCore
import Foundation
import Testing

@testable import ChatPlatforms

@Suite("Discord interactions into inbounds")
struct DiscordInteractionDecoderTests {
    static let member = #""member":{"user":{"id":"U1","username":"mason","global_name":"Mason"},"roles":["R1","R2"],"nick":null}"#
    static let inChannel = #""guild_id":"G1","channel_id":"C1","channel":{"id":"C1","type":0}"#
    static let inThread = #""guild_id":"G1","channel_id":"T1","channel":{"id":"T1","type":11,"parent_id":"C1"}"#

    let parser: CommandParser

    init() throws {
        let deploy = CommandSpec(
            name: "deploy", summary: "Deploy a model version",
            args: [
                ArgumentSpec(name: "model", type: .string, pattern: "^[a-z0-9][a-z0-9-]{0,62}$"),
                ArgumentSpec(name: "version", type: .string),
                ArgumentSpec(name: "env", type: .enumeration, values: ["staging", "prod"], defaultValue: "staging"),
                ArgumentSpec(name: "canary", type: .percent, optional: true),
                ArgumentSpec(name: "reason", type: .string, optional: true),
            ],
            allow: ["ml-engineer"], action: ActionSpec(backend: "sandbox", operation: "deploy"))
        parser = CommandParser(registry: try CommandRegistry(specs: [deploy]), rootCommand: "mlops")
    }

    static func command(_ data: String, where place: String = Self.inChannel, who: String = Self.member) -> String {
        #"{"type":2,"id":"I1","application_id":"A1","token":"TOKEN1","version":1,\#(place),\#(who),"data":\#(data)}"#
    }

    static func click(_ customID: String, where place: String = Self.inChannel, componentType: Int = 2) -> String {
        #"{"type":3,"id":"I2","application_id":"A1","token":"TOKEN2",\#(place),\#(member),"message":{"id":"M1"},"#
            + #""data":{"custom_id":"\#(customID)","component_type":\#(componentType)}}"#
    }

    func decide(_ json: String) throws -> WebhookDecision {
        try DiscordInteractionDecoder.decide(body: Array(json.utf8), receivedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    func accepted(_ json: String) throws -> (inbound: Inbound, acknowledgement: WebhookResponse)? {
        guard case .accept(let inbound, let acknowledgement) = try decide(json) else { return nil }
        return (inbound, acknowledgement)
    }

    @Test func aPingIsAnsweredPong() throws {
        guard case .answer(let response, let note) = try decide(#"{"type":1,"id":"I0","application_id":"A1","token":"T","version":1}"#) else {
            Issue.record("a PING is answered at once")
            return
        }
        #expect(response.status == 200)
        #expect(response.contentType == "application/json")
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(response.body)) == ["type": 1])
        #expect(note == "ping")
    }

    @Test func aSlashCommandBecomesTextTheParserReads() throws {
        let options =
            #"[{"type":1,"name":"deploy","options":[{"type":3,"name":"model","value":"fraud"},"#
            + #"{"type":3,"name":"version","value":"v12"},{"type":3,"name":"env","value":"prod"},{"type":4,"name":"canary","value":10},"#
            + #"{"type":3,"name":"reason","value":"say \"hi\" to ops"}]}]"#
        let (inbound, acknowledgement) = try #require(try accepted(Self.command(#"{"id":"D1","name":"mlops","type":1,"options":\#(options)}"#)))
        #expect(inbound.text == #"mlops deploy model=fraud version=v12 env=prod canary=10 reason="say \"hi\" to ops""#)
        guard case .command(let invocation) = try parser.parse(inbound.text ?? "") else {
            Issue.record("the text is a command")
            return
        }
        #expect(invocation.command == "deploy")
        #expect(invocation.arguments["model"] == .string("fraud"))
        #expect(invocation.arguments["version"] == .string("v12"))
        #expect(invocation.arguments["env"] == .string("prod"))
        #expect(invocation.arguments["canary"] == .percent(10))
        #expect(invocation.arguments["reason"] == .string(#"say "hi" to ops"#))
        #expect(acknowledgement == .json(["type": 5]), "deferred: the result follows")
        #expect(inbound.dedupeKey == "discord:interaction:I1")
        #expect(inbound.conversation == Conversation(platform: "discord", channel: "C1", replyToken: "TOKEN1"))
        #expect(inbound.replyThread == nil, "the platform starts the thread from its first reply")
    }

    @Test func subCommandGroupsComeFirstAndValuesAreTyped() {
        let group = DiscordInteraction.Option(
            name: "model", type: 2,
            options: [
                .init(
                    name: "scale", type: 1,
                    options: [
                        .init(name: "replicas", type: 4, value: .number(3)), .init(name: "weight", type: 10, value: .number(2.5)),
                        .init(name: "dry-run", type: 5, value: .bool(true)), .init(name: "note", type: 3, value: .string("")),
                    ])
            ])
        #expect(DiscordInteractionDecoder.words([group]) == ["model", "scale", "replicas=3", "weight=2.5", "dry-run=true", #"note="""#])
    }

    @Test(arguments: ["two words", "it's", #"say "hi""#, #"back\slash"#, "=x", "'x", "\u{201C}curly\u{201D}", "tab\there", "plain"])
    func quotedValuesSurviveTheTokenizer(value: String) throws {
        let words = try Tokenizer.split("deploy key=" + DiscordInteractionDecoder.quoted(value))
        let expected = value.replacingOccurrences(of: "\u{201C}", with: "\"").replacingOccurrences(of: "\u{201D}", with: "\"")
        #expect(words == ["deploy", "key=" + expected])
    }

    @Test func aClickOnTheBotsButtonIsAButtonInbound() throws {
        let shown = ButtonAction(kind: .reject, label: "Reject", requestID: "k7q2m9", fingerprint: String(repeating: "0123456789abcdef", count: 4))
        let rendered = DiscordMessage.render(Reply(text: "Approve?", buttons: [shown]))
        let customID = try #require(rendered.body[path: ["components"]]?.array?.first?["components"]?.array?.first?["custom_id"]?.string)
        let (inbound, acknowledgement) = try #require(try accepted(Self.click(customID)))
        guard case .button(let clicked) = inbound.kind else {
            Issue.record("a click is a button inbound")
            return
        }
        #expect(clicked.kind == .reject)
        #expect(clicked.requestID == "k7q2m9")
        #expect(clicked.fingerprint == shown.fingerprint)
        #expect(acknowledgement == .json(["type": 6]), "deferred update: no loading state")
        #expect(inbound.conversation.channel == "C1")
        #expect(inbound.conversation.thread == "M1", "a message outside a thread is where its thread starts")
        #expect(inbound.replyThread == "M1")
        #expect(DiscordReplyToken(inbound.conversation.replyToken) == .click("TOKEN2"))
        #expect(inbound.dedupeKey == "discord:interaction:I2")
    }

    @Test func otherComponentsAndInteractionsAreAnsweredAndIgnored() throws {
        for json in [Self.click("someone-elses-button"), Self.click("approve:k7q2m9:0123456789abcdef", componentType: 3)] {
            guard case .answer(let response, let note) = try decide(json) else {
                Issue.record("not the bot's button: \(json)")
                continue
            }
            #expect(response == .json(["type": 6]))
            #expect(note == "ignored")
        }
        guard case .answer(let choices, _) = try decide(#"{"type":4,"id":"I3","token":"T","data":{"name":"mlops"}}"#) else {
            Issue.record("autocomplete is answered")
            return
        }
        #expect(choices == .json(["type": 8, "data": ["choices": []]]))
        guard case .answer(let told, _) = try decide(#"{"type":5,"id":"I4","token":"T","data":{"custom_id":"form"}}"#) else {
            Issue.record("a modal submit is answered")
            return
        }
        let message = try JSONDecoder().decode(JSONValue.self, from: Data(told.body))
        #expect(message["type"] == 4, "a message, the callback Discord takes for any interaction")
        #expect(message[path: ["data", "flags"]] == 64, "only the person sees it")
    }

    @Test func memberRolesAreTheSendersGroups() throws {
        let (inbound, _) = try #require(try accepted(Self.command(#"{"name":"status"}"#)))
        #expect(inbound.sender == Principal(platform: "discord", userID: "U1", displayName: "Mason", groups: ["R1", "R2"]))
        let roles = RoleDirectory(roles: ["ml-lead": .init(groups: ["discord:R2"]), "other": .init(groups: ["slack:R2"])])
        #expect(roles.roles(of: inbound.sender) == ["ml-lead"], "a role granted to `discord:<role id>` follows the Discord role")
        let direct = #""user":{"id":"U9","username":"dee"}"#
        let (message, _) = try #require(try accepted(Self.command(#"{"name":"status"}"#, where: #""channel_id":"DM1""#, who: direct)))
        #expect(message.sender == Principal(platform: "discord", userID: "U9", displayName: "dee", groups: []))
        #expect(message.conversation.channel == "DM1")
    }

    @Test func aThreadIsTheConversationsThreadInItsParentChannel() throws {
        let (command, _) = try #require(try accepted(Self.command(#"{"name":"status"}"#, where: Self.inThread)))
        #expect(command.conversation.channel == "C1")
        #expect(command.conversation.thread == "T1")
        let (click, _) = try #require(try accepted(Self.click("approve:k7q2m9:0123456789abcdef", where: Self.inThread)))
        #expect(click.conversation.channel == "C1")
        #expect(click.conversation.thread == "T1", "a click in a thread stays in that thread")
    }

    @Test func malformedInteractionsAreNotUnderstood() {
        #expect(throws: WebhookDecodingError.self) { try decide("not json") }
        #expect(throws: WebhookDecodingError.self) { try decide(#"{"id":"I5"}"#) }
        #expect(throws: WebhookDecodingError.self) { try decide(#"{"type":2,"id":"I6","token":"T",\#(Self.inChannel),\#(Self.member)}"#) }
        #expect(throws: WebhookDecodingError.self) { try decide(Self.command(#"{"name":"status"}"#, who: #""locale":"en-US""#)) }
        #expect(throws: WebhookDecodingError.self) { try decide(Self.command(#"{"name":"status"}"#, where: #""guild_id":"G1""#)) }
    }

    @Test func aCommandTheSenderMayNotRunIsDeferredPrivately() throws {
        let endpoint = DiscordInteractionsEndpoint(
            path: "/discord/interactions", publicKey: try #require(DiscordSignature.publicKey(hex: DiscordSignatureTests.publicKeyHex)),
            maxSignatureAge: 300,
            deferral: DiscordDeferral(parser: parser, roles: RoleDirectory(roles: ["ml-engineer": .init(groups: ["discord:R1"])])))
        let options = #"[{"type":3,"name":"model","value":"fraud"},{"type":3,"name":"version","value":"v1"}]"#
        let decided = try decide(Self.command(#"{"name":"deploy","options":\#(options)}"#))
        guard case .accept(let allowed, let publicAck) = endpoint.deferral.apply(to: decided) else {
            Issue.record("accepted")
            return
        }
        #expect(publicAck == .json(["type": 5]))
        #expect(allowed.conversation.replyToken == "TOKEN1")
        let typo = try decide(Self.command(#"{"name":"deplyo"}"#))
        guard case .accept(let mistaken, let privateAck) = endpoint.deferral.apply(to: typo) else {
            Issue.record("accepted")
            return
        }
        #expect(privateAck == .json(["type": 5, "data": ["flags": 64]]))
        #expect(DiscordReplyToken(mistaken.conversation.replyToken) == .privateCommand("TOKEN1"))
    }
}
