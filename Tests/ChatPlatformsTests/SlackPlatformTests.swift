import ChatOpsCore
import ChatPlatforms
import Foundation
import Logging
import SlackAPIDouble
import Testing

/// Deliveries kept in memory, as the store keeps them on disk (the first record of a key stays).
actor MemoryDeliveries: DeliveryRecords {
    var keys: [String: String] = [:]
    func delivery(key: String) -> String? { keys[key] }
    func recordDelivery(key: String, messageID: String) { keys[key] = keys[key] ?? messageID }
}

/// Deliveries that lose the first record of some keys, as a process stopping right after Slack
/// answered would.
actor CrashingDeliveries: DeliveryRecords {
    struct Crash: Error {}
    var keys: [String: String] = [:]
    var losing: Set<String>

    init(losing: Set<String>) {
        self.losing = losing
    }

    func delivery(key: String) -> String? { keys[key] }

    func recordDelivery(key: String, messageID: String) throws {
        if losing.remove(key) != nil { throw Crash() }
        keys[key] = keys[key] ?? messageID
    }
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
            let metadata: JSONValue = ["event_type": "chatops_reply", "event_payload": ["key": "k1"]]
            #expect(post.body["metadata"] == metadata, "the key travels with the message")
            #expect(double.calls("conversations.replies").isEmpty && double.calls("conversations.history").isEmpty, "a first attempt reads nothing")
            try await platform.update(ref, with: Reply(tone: .success, text: "done"))
            #expect(double.message(channel: "C1", ts: ref.id)?["text"]?.string?.contains("done") == true)
            // The same key does not post twice (a job retried after a crash).
            let again = try await platform.post(Reply(text: "first"), in: conversation, idempotencyKey: "k1")
            #expect(again.id == ref.id)
            #expect(double.calls("chat.postMessage").count == 1)
        }
    }

    @Test func aPostInterruptedAfterSlackAnsweredIsFoundInsteadOfRepeated() async throws {
        try await SlackAPIDouble.run { double in
            let deliveries = CrashingDeliveries(losing: ["top", "reply"])
            let platform = SlackPlatform(client: client(double), deliveries: deliveries, logger: Logger(label: "test"))

            // At the top level: Slack has the message, the record of it is lost; the retry finds it in the history.
            let channel = Conversation(platform: "slack", channel: "C1")
            await #expect(throws: CrashingDeliveries.Crash.self) {
                try await platform.post(Reply(text: "Running deploy"), in: channel, idempotencyKey: "top")
            }
            let first = try #require(double.calls("chat.postMessage").first?.ts)
            let metadata: JSONValue = ["event_type": "chatops_reply", "event_payload": ["key": "top"]]
            #expect(double.metadata(channel: "C1", ts: first) == metadata)
            let again = try await platform.post(Reply(text: "Running deploy"), in: channel, idempotencyKey: "top")
            #expect(again.id == first)
            #expect(double.calls("chat.postMessage").count == 1, "exactly one message")
            #expect(await deliveries.delivery(key: "top") == first, "recorded this time")
            let history = try #require(double.calls("conversations.history").first)
            #expect(history.body["channel"] == "C1")
            #expect(history.body["include_all_metadata"] == "true")
            #expect(history.body["limit"] == "50")
            let oldest = try #require(history.body["oldest"]?.string.flatMap { Double($0) })
            #expect(abs(Date().timeIntervalSince1970 - oldest) < 300, "only the last few minutes")

            // In a thread: the retry finds it among the thread's replies.
            let thread = channel.inThread(first)
            await #expect(throws: CrashingDeliveries.Crash.self) {
                try await platform.post(Reply(text: "Deployed"), in: thread, idempotencyKey: "reply")
            }
            let reply = try #require(double.calls("chat.postMessage").last?.ts)
            let found = try await platform.post(Reply(text: "Deployed"), in: thread, idempotencyKey: "reply")
            #expect(found.id == reply)
            #expect(double.calls("chat.postMessage").count == 2, "the root and one reply")
            let replies = try #require(double.calls("conversations.replies").first)
            #expect(replies.body["ts"]?.string == first)
            #expect(replies.body["include_all_metadata"] == "true")
            #expect(double.calls("conversations.history").count == 1)
        }
    }

    @Test func aFailedLookupStillPostsTheReply() async throws {
        try await SlackAPIDouble.run { double in
            let once = SlackWebAPIClient(
                settings: .init(baseURL: double.baseURL, token: double.token, channelInterval: .milliseconds(1), maxAttempts: 1),
                logger: Logger(label: "test"))
            let platform = SlackPlatform(client: once, deliveries: MemoryDeliveries(), logger: Logger(label: "test"))
            let conversation = Conversation(platform: "slack", channel: "C9")
            double.failNext("chat.postMessage", times: 1)
            await #expect(throws: SlackAPIError.self) {
                try await platform.post(Reply(text: "hi"), in: conversation, idempotencyKey: "f1")
            }
            // Slack never had it, and the history cannot be read (channel_not_found): the reply is posted.
            let ref = try await platform.post(Reply(text: "hi"), in: conversation, idempotencyKey: "f1")
            #expect(double.calls("conversations.history").count == 1, "the interrupted attempt was looked for")
            #expect(double.calls("chat.postMessage").compactMap(\.ts) == [ref.id])
        }
    }

    @Test func everythingPostedUpdatedOrUploadedIsMentionSafe() async throws {
        try await SlackAPIDouble.run { double in
            let platform = SlackPlatform(client: client(double), deliveries: MemoryDeliveries(), logger: Logger(label: "test"))
            let loud = "@here @channel @everyone <!channel>"
            let conversation = Conversation(platform: "slack", channel: "C1", thread: "1.5")
            let ref = try await platform.post(
                Reply(title: loud, text: loud, fields: [Fact(loud, loud)], table: [[loud]], footer: loud), in: conversation, idempotencyKey: "m1")
            try await platform.update(ref, with: Reply(tone: .success, title: loud, text: loud, fields: [Fact(loud, loud)], footer: loud))
            let rows = [["case", loud]] + (0..<400).map { ["case-\($0)", "passed with a long explanation"] }
            let file = try await platform.post(Reply(title: loud, text: loud, table: rows), in: conversation, idempotencyKey: "m2")
            #expect(file.id.hasPrefix("file:"))
            for method in ["chat.postMessage", "chat.update", "files.completeUploadExternal"] {
                let call = try #require(double.calls(method).first)
                for text in RenderedJSON.strings(in: call.body) {
                    #expect(!MentionSafety.containsBroadcast(text), "\(method) sent a broadcast: \(text)")
                }
            }
            let uploaded = String(decoding: try #require(double.uploadedFile(String(file.id.dropFirst(5)))), as: UTF8.self)
            #expect(!MentionSafety.containsBroadcast(uploaded))
        }
    }

    @Test func theDoubleReadsConversationsAsSlackDocuments() async throws {
        try await SlackAPIDouble.run { double in
            let api = client(double)
            let root = try await api.call(
                "chat.postMessage", ["channel": "C1", "text": "root", "metadata": ["event_type": "chatops_reply", "event_payload": ["key": "a"]]])
            let rootTS = try #require(root["ts"]?.string)
            for index in 0..<3 {
                try await api.call("chat.postMessage", ["channel": "C1", "text": .string("reply \(index)"), "thread_ts": .string(rootTS)])
            }
            try await api.call("chat.postMessage", ["channel": "C1", "text": "later"])

            let plain = try await api.read("conversations.history", ["channel": "C1"])
            #expect(plain["messages"]?.array?.map { $0["text"] } == ["later", "root"], "top-level messages, newest first")
            #expect(plain["messages"]?.array?.allSatisfy { $0["metadata"] == nil } == true, "no metadata unless asked for")
            #expect(plain["has_more"] == .bool(false))
            #expect(plain["messages"]?.array?.last?["reply_count"] == 3)

            let page = try await api.read("conversations.history", ["channel": "C1", "include_all_metadata": "true", "limit": "1"])
            #expect(page["messages"]?.array?.map { $0["text"] } == ["later"])
            #expect(page["has_more"] == .bool(true))
            let cursor = try #require(page[path: ["response_metadata", "next_cursor"]]?.string)
            let next = try await api.read("conversations.history", ["channel": "C1", "include_all_metadata": "true", "limit": "1", "cursor": cursor])
            #expect(next["messages"]?.array?.first?[path: ["metadata", "event_payload", "key"]] == "a")
            #expect(next["messages"]?.array?.first?[path: ["metadata", "event_type"]] == "chatops_reply")

            let thread = try await api.read("conversations.replies", ["channel": "C1", "ts": rootTS])
            #expect(
                thread["messages"]?.array?.map { $0["text"] } == ["root", "reply 0", "reply 1", "reply 2"], "the parent, then replies oldest first")
            let future = String(Date().timeIntervalSince1970 + 60)
            let none = try await api.read("conversations.history", ["channel": "C1", "oldest": future])
            #expect(none["messages"]?.array?.isEmpty == true, "oldest bounds the time range")

            let unknown = await #expect(throws: SlackAPIError.self) { try await api.read("conversations.history", ["channel": "C-none"]) }
            #expect(unknown?.code == "channel_not_found")
            let noThread = await #expect(throws: SlackAPIError.self) {
                try await api.read("conversations.replies", ["channel": "C1", "ts": "1.000001"])
            }
            #expect(noThread?.code == "thread_not_found")
            let json = await #expect(throws: SlackAPIError.self) { try await api.call("conversations.history", ["channel": "C1"]) }
            #expect(json?.code == "invalid_arguments", "these methods read form-encoded arguments only")
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
            let paced = SlackWebAPIClient(
                settings: .init(baseURL: double.baseURL, token: double.token, channelInterval: .milliseconds(300)), logger: Logger(label: "test"))
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

extension SlackPlatformTests {
    @Test func anAttachmentIsUploadedOnceIntoTheThreadWithBroadcastMentionsNeutralised() async throws {
        try await SlackAPIDouble.run { double in
            let platform = SlackPlatform(client: client(double), deliveries: MemoryDeliveries(), logger: Logger(label: "test"))
            let file = Attachment(name: "eval-r1-cases.jsonl", text: "{\"case\":\"c1\",\"answer\":\"<!channel> look\"}\n{\"case\":\"c2\"}\n")
            let thread = Conversation(platform: "slack", channel: "C1", thread: "1.5")
            #expect(try await platform.attach(file, in: thread, idempotencyKey: "r1:file"))
            #expect(try await platform.attach(file, in: thread, idempotencyKey: "r1:file"), "the second is the same file")
            let completes = double.calls("files.completeUploadExternal")
            #expect(completes.count == 1, "uploaded once")
            let complete = try #require(completes.first)
            #expect(complete.body["thread_ts"] == "1.5" && complete.body["channel_id"] == "C1")
            #expect(double.calls("files.getUploadURLExternal").first?.body["filename"] == "eval-r1-cases.jsonl")
            let fileID = try #require(complete.body["files"]?.array?.first?["id"]?.string)
            let uploaded = String(decoding: try #require(double.uploadedFile(fileID)), as: UTF8.self)
            #expect(uploaded.hasSuffix("{\"case\":\"c2\"}\n") && !uploaded.contains("<!channel>"))
        }
    }
}
