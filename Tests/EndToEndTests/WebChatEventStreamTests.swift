import AsyncHTTPClient
import ChatOpsCore
import ChatOpsStore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The web chat's server-sent events from `chatops serve`: the console's live updates. A message
/// and each edit of it are pushed, including an edit another process made in the shared store, and
/// a graceful shutdown ends the stream instead of holding the process up.
@Suite("The web chat's event stream")
struct WebChatEventStreamTests {
    /// Reads `event: messages` blocks from a stream into a list a test can wait on.
    actor EventLog {
        /// A message as one event showed it.
        struct Seen: Sendable {
            var id: Int
            var text: String
        }

        private(set) var batches: [[Seen]] = []
        private(set) var ended = false
        private(set) var failure: String?

        func read(_ url: String) async {
            do {
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(120))
                guard response.status == .ok, response.headers["Content-Type"].first?.hasPrefix("text/event-stream") == true else {
                    failure = "status \(response.status), \(response.headers["Content-Type"])"
                    return
                }
                var text = ""
                for try await chunk in response.body {
                    text += String(buffer: chunk)
                    while let end = text.range(of: "\n\n") {
                        let block = text[..<end.lowerBound]
                        text = String(text[end.upperBound...])
                        guard let data = block.split(separator: "\n").first(where: { $0.hasPrefix("data: ") })?.dropFirst(6) else { continue }
                        let entries = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [[String: Any]] ?? []
                        batches.append(entries.map { Seen(id: $0["id"] as? Int ?? -1, text: $0["text"] as? String ?? "") })
                    }
                }
                ended = true
            } catch {
                failure = "\(error)"
            }
        }

        var messages: [Seen] { batches.flatMap { $0 } }

        /// Waits for the stream's first event: the transcript so far.
        func firstBatch() async throws -> [Seen] {
            for _ in 0..<600 where batches.isEmpty && failure == nil { try await Task.sleep(for: .milliseconds(50)) }
            guard let first = batches.first else { throw BotProcessError("no first event: \(failure ?? "the stream stayed silent")") }
            return first
        }

        func waitFor(_ what: String, seconds: Double = 30, _ condition: @Sendable ([Seen]) -> Bool) async throws {
            let deadline = Date().addingTimeInterval(seconds)
            while !condition(messages) {
                guard Date() < deadline, failure == nil else {
                    throw BotProcessError("no event with \(what) (\(failure ?? "no failure")); events: \(messages.map(\.text))")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func messagesAndTheirEditsArePushedEvenFromAnotherProcessAndShutdownEndsTheStream() async throws {
        let bot = try BotProcess(sandbox: "{step_ms: 1000}")
        try await bot.start()
        let log = EventLog()
        let reader = Task { await log.read(bot.baseURL + "/chat/events?channel=ops") }
        #expect(try await log.firstBatch().isEmpty, "the first event holds the transcript so far: nothing")

        try await WebChatClient(baseURL: bot.baseURL).say("deploy fraud-model v3", as: "alice")
        // The progress message is edited to its end just before the result is posted.
        try await log.waitFor("the progress message edited to its end, and the result") { messages in
            messages.contains { $0.text.contains("finished in") } && messages.contains { $0.text.contains("Deployed fraud-model v3 to staging") }
        }
        let messages = await log.messages
        let edited = try #require(messages.last { $0.text.contains("finished in") }?.id)
        let versions = messages.filter { $0.id == edited }.map(\.text)
        #expect(versions.first?.contains("Running `deploy fraud-model v3 --env staging`") == true, "the message was pushed first: \(versions)")
        #expect(versions.contains { $0.contains("rolling out v3") }, "then each edit: \(versions)")

        // Another process (a replica) edits the message in the shared store: the stream finds it on its next look.
        let store = try SQLiteStore(path: bot.directory.appendingPathComponent("state/bot.sqlite").path)
        try await store.updateMessage(id: Int64(edited), reply: Reply(text: "edited by another process"), at: Date())
        try await log.waitFor("the other process's edit") { messages in
            messages.contains { $0.id == edited && $0.text.contains("edited by another process") }
        }

        #expect(await bot.terminate() == 0)
        await reader.value
        let failure = await log.failure
        #expect(await log.ended, "the shutdown ended the stream: \(failure ?? "")")
    }
}
