import AsyncHTTPClient
import ChatOpsCore
import ChatPlatforms
import Foundation
import NIOCore
import NIOHTTP1
import OpenAIAPIDouble
import SlackAPIDouble
import Testing

/// Sends requests to the bot exactly as Slack would, signed by the official slack_sdk.
struct SlackSender {
    let baseURL: String
    let secret: String

    func post(
        _ path: String, body: String, contentType: String, signature: String? = nil, timestamp: Date = Date()
    ) async throws -> (status: HTTPResponseStatus, body: String, elapsed: Duration) {
        let stamp = String(Int(timestamp.timeIntervalSince1970))
        let signed: String
        if let signature { signed = signature } else { signed = try await ReferenceSigner.sign(body: body, timestamp: stamp, secret: secret) }
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "X-Slack-Request-Timestamp", value: stamp)
        request.headers.add(name: "X-Slack-Signature", value: signed)
        request.body = .bytes(ByteBuffer(string: body))
        let started = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let elapsed = ContinuousClock.now - started
        return (response.status, String(buffer: try await response.body.collect(upTo: 1 << 20)), elapsed)
    }

    func slashCommand(
        _ command: String, _ text: String, user: String, channel: String, responseURL: String, trigger: String
    ) async throws
        -> (status: HTTPResponseStatus, body: String, elapsed: Duration)
    {
        let fields = [
            ("token", "legacy"), ("team_id", "T1"), ("channel_id", channel), ("user_id", user), ("user_name", user.lowercased()),
            ("command", command), ("text", text), ("response_url", responseURL), ("trigger_id", trigger), ("api_app_id", "A1"),
        ]
        return try await post("/slack/commands", body: Self.form(fields), contentType: "application/x-www-form-urlencoded")
    }

    func click(
        _ action: String, value: String, user: String, channel: String, messageTS: String, responseURL: String
    ) async throws -> HTTPResponseStatus {
        let body = Self.clickBody(action, value: value, user: user, channel: channel, messageTS: messageTS, responseURL: responseURL)
        return try await post("/slack/interactive", body: body, contentType: "application/x-www-form-urlencoded").status
    }

    /// The form body of a button click (`block_actions`), each with its own trigger id and action time.
    static func clickBody(_ action: String, value: String, user: String, channel: String, messageTS: String, responseURL: String) -> String {
        let payload = """
            {"type":"block_actions","trigger_id":"\(UUID().uuidString)","api_app_id":"A1","user":{"id":"\(user)","username":"\(user.lowercased())","team_id":"T1"},\
            "team":{"id":"T1"},"container":{"type":"message","message_ts":"\(messageTS)","channel_id":"\(channel)","is_ephemeral":false},\
            "channel":{"id":"\(channel)","name":"ops"},"message":{"ts":"\(messageTS)","text":"approval"},"response_url":"\(responseURL)",\
            "actions":[{"type":"button","action_id":"\(action)","block_id":"b1","value":"\(value)","action_ts":"\(Date().timeIntervalSince1970)"}]}
            """
        return form([("payload", payload)])
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }
}

/// Polls `condition` until it returns a value.
func eventually<T>(_ what: String, seconds: Double = 30, _ condition: () async throws -> T?) async throws -> T {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let value = try await condition() { return value }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw BotProcessError("timed out waiting for \(what)")
}

@Suite("Slack, end to end against chatops serve", .serialized)
struct SlackEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func slashCommandApprovalButtonsProgressAndSummaryInOneThread() async throws {
        try await SlackAPIDouble.run { double in
            let bot = try BotProcess(
                extraConfiguration: """
                    slack: {signing_secret: e2e-signing-secret, bot_token: \(double.token), api_url: "\(double.baseURL)", channel_interval_ms: 10}
                    """)
            try await bot.start()
            let slack = SlackSender(baseURL: bot.baseURL, secret: "e2e-signing-secret")

            // Forged and stale requests are refused and run nothing.
            let forged = try await slack.post(
                "/slack/commands", body: "command=%2Fdeploy&text=fraud+v1&user_id=U_ALICE&channel_id=C_OPS&trigger_id=forged",
                contentType: "application/x-www-form-urlencoded", signature: "v0=" + String(repeating: "0", count: 64))
            #expect(forged.status == .unauthorized)
            let staleSender = SlackSender(baseURL: bot.baseURL, secret: "e2e-signing-secret")
            let stale = try await staleSender.post(
                "/slack/commands", body: "command=%2Fstatus&user_id=U_ALICE&channel_id=C_OPS", contentType: "application/x-www-form-urlencoded",
                timestamp: Date().addingTimeInterval(-600))
            #expect(stale.status == .unauthorized)

            let accepted = try await slack.slashCommand(
                "/deploy", "fraud v12 --env prod", user: "U_ALICE", channel: "C_OPS", responseURL: double.responseURL("cmd"), trigger: "t-1")
            #expect(accepted.status == .ok)
            #expect(accepted.elapsed < .seconds(3), "acknowledged within Slack's deadline")
            #expect(accepted.body.contains(#""response_type":"in_channel""#), "an accepted command is answered in the channel")
            let typo = try await slack.slashCommand(
                "/deplyo", "fraud", user: "U_ALICE", channel: "C_OPS", responseURL: double.responseURL("typo"), trigger: "t-typo")
            #expect(typo.status == .ok)
            #expect(!typo.body.contains("in_channel"), "mistakes are not shown to the channel")
            let typoReply = try await eventually("the private correction") {
                double.calls("response_url").first { $0.body["text"]?.string?.contains("deploy") == true }
            }
            #expect(typoReply.body["response_type"] == "ephemeral")

            let approval = try await eventually("the approval message") {
                double.calls("chat.postMessage").first { $0.body["blocks"].map { "\($0)".contains("actions") } == true }
            }
            let root = try #require(approval.ts)
            #expect(approval.body["thread_ts"] == nil, "the approval message starts the thread")
            let blocks = String(decoding: try approval.body.data(), as: UTF8.self)
            #expect(blocks.contains("deploy fraud v12 --env prod"), "shows exactly what will run")
            #expect(blocks.contains("expires"))
            let value = try #require(
                blocks.range(of: #""value":"(approve:[a-z0-9]+:[0-9a-f]{16})""#, options: .regularExpression).map {
                    String(blocks[$0].dropFirst(9).dropLast())
                })

            // The requester's own click is refused, privately.
            #expect(
                try await slack.click(
                    "approve", value: value, user: "U_ALICE", channel: "C_OPS", messageTS: root, responseURL: double.responseURL("c1")) == .ok)
            let refusal = try await eventually("the refusal") {
                double.calls("response_url").first { $0.body["text"]?.string?.contains("own request") == true }
            }
            #expect(refusal.body["response_type"] == "ephemeral")

            // An approver's click runs it; progress and the summary land in the same thread.
            #expect(
                try await slack.click(
                    "approve", value: value, user: "U_BOB", channel: "C_OPS", messageTS: root, responseURL: double.responseURL("c2")) == .ok)
            let summary = try await eventually("the summary") {
                double.calls("chat.postMessage").first { $0.body["text"]?.string?.contains("Deployed fraud v12 to prod") == true }
            }
            #expect(summary.body["thread_ts"]?.string == root)
            let updates = double.calls("chat.update")
            #expect(updates.contains { $0.body["ts"]?.string == root && $0.body["text"]?.string?.contains("Approved") == true })
            let approvedMessage = try #require(double.message(channel: "C_OPS", ts: root))
            #expect(!String(decoding: try approvedMessage.data(), as: UTF8.self).contains(#""type":"actions""#), "the buttons are gone")
            #expect(updates.contains { $0.body["text"]?.string?.contains("rolling out") == true }, "progress is updated in place")
            #expect(double.calls("chat.postMessage").allSatisfy { $0.ts == root || $0.body["thread_ts"]?.string == root })

            // A second click after the run changes nothing.
            _ = try await slack.click(
                "approve", value: value, user: "U_BOB", channel: "C_OPS", messageTS: root, responseURL: double.responseURL("c3"))
            try await Task.sleep(for: .seconds(1))
            #expect(double.calls("chat.postMessage").filter { $0.body["text"]?.string?.contains("Deployed fraud") == true }.count == 1)
            #expect(await bot.terminate() == 0)
            let audit = try await bot.runCLI(["audit", "export", "--kind", "auth.rejected"]).output
            #expect(audit.split(separator: "\n").count == 2)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func onlyACommandTheSenderMayRunIsAcknowledgedInTheChannel() async throws {
        try await SlackAPIDouble.run { double in
            let bot = try BotProcess(
                extraConfiguration: """
                    slack: {signing_secret: e2e-signing-secret, bot_token: \(double.token), api_url: "\(double.baseURL)", channel_interval_ms: 10}
                    """)
            try await bot.start()
            let slack = SlackSender(baseURL: bot.baseURL, secret: "e2e-signing-secret")

            // U_ALICE is an ml-engineer: the channel sees her /deploy.
            let allowed = try await slack.slashCommand(
                "/deploy", "fraud v12", user: "U_ALICE", channel: "C_OPS", responseURL: double.responseURL("allowed"), trigger: "t-allowed")
            #expect(allowed.status == .ok)
            #expect(allowed.body.contains(#""response_type":"in_channel""#), "an allowed command is shown in the channel")

            // U_MALLORY holds no role: the same command is acknowledged privately and refused privately.
            let refused = try await slack.slashCommand(
                "/deploy", "fraud v12", user: "U_MALLORY", channel: "C_OPS", responseURL: double.responseURL("refused"), trigger: "t-refused")
            #expect(refused.status == .ok)
            #expect(!refused.body.contains("in_channel"), "the channel does not see a command that will be refused")
            let refusal = try await eventually("the private refusal") {
                double.calls("response_url").first { $0.body["text"]?.string?.contains("can't run this") == true }
            }
            #expect(refusal.body["response_type"] == "ephemeral")
            #expect(!double.calls("chat.postMessage").contains { $0.body["text"]?.string?.contains("can't run this") == true })
            #expect(await bot.terminate() == 0)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func summariesStreamIntoTheThreadAndPlainWordsAreProposedWithRunAndCancel() async throws {
        try await OpenAIAPIDouble.run { model in
            let faithful = "The evaluation of fraud v12 on holdout finished."
            model.script([.byPurpose(summary: faithful, intent: #"{"command": "rollback", "parameters": {"model": "fraud", "env": "prod"}}"#)])
            let languageModels = BotProcess.languageModelConfiguration(url: model.baseURL, model: "scripted")
            try await SlackAPIDouble.run { double in
                let bot = try BotProcess(
                    extraConfiguration: """
                        slack: {signing_secret: e2e-signing-secret, bot_token: \(double.token), api_url: "\(double.baseURL)", channel_interval_ms: 10}
                        \(languageModels)
                        """)
                try await bot.start()
                let slack = SlackSender(baseURL: bot.baseURL, secret: "e2e-signing-secret")
                func mention(_ text: String, ts: String) async throws {
                    let event =
                        #"{"type":"event_callback","event_id":"Ev\#(ts)","event_time":1,"event":{"type":"app_mention","user":"U_ALICE","text":"<@UBOT> \#(text)","ts":"\#(ts)","channel":"C_OPS"}}"#
                    #expect(try await slack.post("/slack/events", body: event, contentType: "application/json").status == .ok)
                }

                // The result is posted with the template facts at once, then edited with chat.update until final.
                try await mention("eval fraud v12", ts: "7.7")
                let draft = try await eventually("the result", seconds: 60) {
                    double.calls("chat.postMessage").first { $0.body["thread_ts"] == "7.7" && "\($0.body)".contains("writing a summary") }
                }
                let resultTS = try #require(draft.ts)
                let final = try await eventually("the final summary", seconds: 60) {
                    double.calls("chat.update").last { $0.body["ts"]?.string == resultTS && !"\($0.body)".contains("writing a summary") }
                }
                let finalText = "\(final.body)"
                #expect(finalText.contains("Evaluated fraud v12 on holdout"), "the facts: \(finalText)")
                #expect(
                    finalText.contains("Summary written by the language model scripted") && finalText.contains(faithful), "the model's text, labelled"
                )
                #expect(
                    double.calls("chat.postMessage").filter { $0.body["thread_ts"] == "7.7" }.count == 2,
                    "progress and one result message, edited in place")

                // A request in plain words is proposed with Run / Cancel; nothing runs until the requester clicks Run.
                try await mention("roll back the fraud model in prod please", ts: "8.8")
                let answer = try await eventually("the proposal or the list of commands", seconds: 60) {
                    double.calls("chat.postMessage").first { $0.body["thread_ts"] == "8.8" }
                }
                let blocks = String(decoding: try answer.body.data(), as: UTF8.self)
                #expect(
                    !double.calls("chat.postMessage").contains {
                        $0.body["thread_ts"] == "8.8" && $0.body["text"]?.string?.contains("Running") == true
                    })
                #expect(blocks.contains(#""action_id":"run""#), "a proposal: \(blocks.prefix(300))")
                do {
                    let value = try #require(
                        blocks.range(of: #""value":"(cancel:[a-z0-9]+:[0-9a-f]{16})""#, options: .regularExpression).map {
                            String(blocks[$0].dropFirst(9).dropLast())
                        })
                    #expect(blocks.contains(#""action_id":"cancel""#))
                    #expect(
                        try await slack.click(
                            "cancel", value: value, user: "U_ALICE", channel: "C_OPS", messageTS: try #require(answer.ts),
                            responseURL: double.responseURL("nl")) == .ok)
                    _ = try await eventually("the cancellation") {
                        double.calls("chat.postMessage").first { $0.body["text"]?.string?.contains("Nothing was run") == true }
                    }
                }
                #expect(await bot.terminate() == 0)
                let audit = try await bot.runCLI(["audit", "export"]).output
                #expect(audit.contains("intent.requested"))
                #expect(!audit.contains(#""operation":"rollback""#), "nothing was rolled back")
            }
        }
    }
}
