import ChatOpsCore
import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /chat/events?channel=&after=`: the transcript as server-sent events. The first event holds
/// every message after `after`; each later one holds the messages added or edited since (progress,
/// streamed summaries, approval cards), as `event: messages` with a JSON array like `GET /chat/messages`.
///
/// A change this process makes is pushed at once; the store is also looked at every
/// `rescanInterval`, for changes another replica made. A comment line keeps idle streams open, and
/// a graceful shutdown ends every stream.
struct WebChatEventStream: Sendable {
    let transcript: SignallingTranscript
    var rescanInterval: Duration = .seconds(1)
    var keepAlive: Duration = .seconds(15)
    /// How many of the newest messages are looked at again for edits.
    var editWindow = 200

    func response(channel: String?, after: Int64) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let (wakes, waker) = transcript.changes.listen()
                let ticker = Task { [rescanInterval] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: rescanInterval)
                        waker.yield()
                    }
                }
                defer {
                    ticker.cancel()
                    waker.finish()
                }
                var seen = SeenMessages(after: after, window: editWindow)
                let clock = ContinuousClock()
                var lastWrite = clock.now
                try await withGracefulShutdownHandler {
                    try await writer.write(event(try await seen.changes(in: transcript, channel: channel)))
                    for await _ in wakes {
                        let changed = try await seen.changes(in: transcript, channel: channel)
                        if !changed.isEmpty {
                            try await writer.write(event(changed))
                        } else if clock.now - lastWrite >= keepAlive {
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        } else {
                            continue
                        }
                        lastWrite = clock.now
                    }
                } onGracefulShutdown: {
                    waker.finish()
                }
                try await writer.finish(nil)
            })
    }

    private func event(_ messages: [TranscriptMessage]) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(messages.map(WebChatRoutes.TranscriptEntry.init))
        return ByteBuffer(string: "event: messages\ndata: \(String(decoding: data, as: UTF8.self))\n\n")
    }
}

/// What a stream has sent: each message's last edit, to send only what is new or edited.
struct SeenMessages {
    private var updated: [Int64: Date] = [:]
    private var after: Int64
    let window: Int

    init(after: Int64, window: Int) {
        self.after = after
        self.window = window
    }

    /// The messages added or edited since the last call: the newest `window` messages seen are read
    /// again with everything after them.
    mutating func changes(in transcript: some TranscriptLog, channel: String?) async throws -> [TranscriptMessage] {
        let newest = updated.keys.sorted().suffix(window)
        let start = newest.first.map { $0 - 1 } ?? after
        var changed: [TranscriptMessage] = []
        var cursor = start
        while true {
            let page = try await transcript.messages(channel: channel, afterID: cursor, limit: 500)
            for message in page where updated[message.id] != message.updatedAt {
                updated[message.id] = message.updatedAt
                changed.append(message)
            }
            guard page.count == 500, let last = page.last else { break }
            cursor = last.id
        }
        // Only the window is kept: older messages are not looked at again.
        if updated.count > window * 2 {
            let keep = Set(updated.keys.sorted().suffix(window))
            updated = updated.filter { keep.contains($0.key) }
        }
        return changed
    }
}
