import ChatOpsCore
import ChatPlatforms
import Foundation
import Logging
import SlackAPIDouble
import Testing

/// Deliveries kept in memory, as the store keeps them on disk.
actor MemoryDeliveries: DeliveryLog {
    var keys: [String: String] = [:]
    func delivery(key: String) -> String? { keys[key] }
    func recordDelivery(key: String, messageID: String) { keys[key] = messageID }
}

@Suite("Slack Web API client and platform, against the local Web API double")
struct SlackPlatformTests {
    func client(_ double: SlackAPIDouble, token: String? = nil) -> SlackWebAPIClient {
        SlackWebAPIClient(
            settings: .init(baseURL: double.baseURL, token: token ?? double.token, channelInterval: .milliseconds(1), maxAttempts: 4),
            logger: Logger(label: "test"))
    }

    @Test func postsInTheThreadAndUpdatesInPlace() async throws {
        try await SlackAPIDouble.run { double in
            let platform = SlackPlatform(client: client(double), deliveries: MemoryDeliveries(), logger: Logger(label: "test"))
            let conversation = Conversation(platform: "slack", channel: "C1", thread: "1.5")
            let ref = try await platform.post(Reply(text: "first"), in: conversation, idempotencyKey: "k1")
            #expect(!ref.id.isEmpty)
            let post = try #require(double.calls("chat.postMessage").first)
            #expect(post.body["thread_ts"] == "1.5")
            #expect(post.body["channel"] == "C1")
            #expect(post.authorization == "Bearer \(double.token)")
            try await platform.update(ref, with: Reply(tone: .success, text: "done"))
            #expect(double.message(channel: "C1", ts: ref.id)?["text"]?.string?.contains("done") == true)
            // The same key does not post twice (a job retried after a crash).
            let again = try await platform.post(Reply(text: "first"), in: conversation, idempotencyKey: "k1")
            #expect(again.id == ref.id)
            #expect(double.calls("chat.postMessage").count == 1)
        }
    }

    @Test func honoursRetryAfterOn429() async throws {
        try await SlackAPIDouble.run { double in
            double.rateLimitNext("chat.postMessage", retryAfter: 1)
            let started = ContinuousClock.now
            let response = try await client(double).call("chat.postMessage", ["channel": "C1", "text": "hi"])
            #expect(response["ok"] == .bool(true))
            #expect(ContinuousClock.now - started >= .seconds(1), "waited as Retry-After asked")
            #expect(double.calls("chat.postMessage").count == 2)
        }
    }

    @Test func retriesTransientFailuresThenSucceeds() async throws {
        try await SlackAPIDouble.run { double in
            double.failNext("chat.postMessage", times: 2)
            let response = try await client(double).call("chat.postMessage", ["channel": "C1", "text": "hi"])
            #expect(response["ts"]?.string != nil)
            #expect(double.calls("chat.postMessage").count == 3)
        }
    }

    @Test func slackErrorCodesBecomeClearErrorsWithoutRetrying() async throws {
        try await SlackAPIDouble.run { double in
            double.outsideChannels = ["C-private"]
            let error = await #expect(throws: SlackAPIError.self) {
                try await client(double).call("chat.postMessage", ["channel": "C-private", "text": "hi"])
            }
            #expect(error?.code == "not_in_channel")
            #expect(error?.description.contains("invite") == true)
            #expect(double.calls("chat.postMessage").count == 1)
            let auth = await #expect(throws: SlackAPIError.self) {
                try await client(double, token: "xoxb-wrong").call("chat.postMessage", ["channel": "C1", "text": "hi"])
            }
            #expect(auth?.code == "invalid_auth")
        }
    }

    @Test func postsInOneChannelArePaced() async throws {
        try await SlackAPIDouble.run { double in
            let paced = SlackWebAPIClient(settings: .init(baseURL: double.baseURL, token: double.token, channelInterval: .milliseconds(300)), logger: Logger(label: "test"))
            let started = ContinuousClock.now
            for index in 0..<3 { try await paced.call("chat.postMessage", ["channel": "C1", "text": .string("\(index)")], channel: "C1") }
            #expect(ContinuousClock.now - started >= .milliseconds(600))
        }
    }

    @Test func ephemeralRepliesGoToTheResponseURL() async throws {
        try await SlackAPIDouble.run { double in
            let platform = SlackPlatform(client: client(double), deliveries: MemoryDeliveries(), logger: Logger(label: "test"))
            let conversation = Conversation(platform: "slack", channel: "C1", replyToken: double.responseURL("r1"))
            _ = try await platform.post(.error("no such command"), in: conversation, idempotencyKey: "e1")
            let response = try #require(double.calls("response_url").first)
            #expect(response.body["response_type"] == "ephemeral")
            #expect(response.body["text"]?.string?.contains("no such command") == true)
            #expect(double.calls("chat.postMessage").isEmpty)
        }
    }

    @Test func longResultsAreUploadedAsAFileInTheThread() async throws {
        try await SlackAPIDouble.run { double in
            let platform = SlackPlatform(client: client(double), deliveries: MemoryDeliveries(), logger: Logger(label: "test"))
            let rows = [["case", "result"]] + (0..<400).map { ["case-\($0)", "passed with a long explanation"] }
            let reply = Reply(title: "eval", text: "400 cases", table: rows)
            let ref = try await platform.post(reply, in: Conversation(platform: "slack", channel: "C1", thread: "1.5"), idempotencyKey: "u1")
            #expect(ref.id.hasPrefix("file:"))
            let complete = try #require(double.calls("files.completeUploadExternal").first)
            #expect(complete.body["thread_ts"] == "1.5")
            #expect(complete.body["channel_id"] == "C1")
            let fileID = String(ref.id.dropFirst(5))
            let uploaded = String(decoding: try #require(double.uploadedFile(fileID)), as: UTF8.self)
            #expect(uploaded.contains("case-399"), "nothing is cut off")
            #expect(double.calls("chat.postMessage").isEmpty)
        }
    }
}
