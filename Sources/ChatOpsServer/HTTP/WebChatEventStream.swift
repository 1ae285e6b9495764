import ChatOpsCore
import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /chat/events?channel=&after=`: the transcript as server-sent events. The first event holds
/// the newest `window` messages (or every message after `after`); each later one holds the messages
/// added or edited since (progress, streamed summaries, approval cards), as `event: messages` with a
/// JSON array like `GET /chat/messages`.
///
/// A change this process makes is pushed at once, however old the message; the store is also looked
/// at every `rescanInterval` for changes another replica made to the newest `window` messages. A
/// comment line keeps idle streams open, a graceful shutdown ends every stream, and at most
/// `maxStreams` are open at once (429 beyond).
struct WebChatEventStream: Sendable {
    let transcript: SignallingTranscript
    var rescanInterval: Duration = .seconds(1)
    var keepAlive: Duration = .seconds(15)
    var window = 200
    var maxStreams = 64

    func response(channel: String?, after: Int64?) throws -> Response {
        // The place is taken now, so a burst of requests cannot open more than the limit.
        guard let listener = transcript.changes.listen(limit: maxStreams) else {
            throw HTTPError(.tooManyRequests, message: "too many live streams are open; try again later")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let ticker = Task { [rescanInterval] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: rescanInterval)
                        listener.wake()
                    }
                }
                defer {
                    ticker.cancel()
                    listener.finish()
                }
                var seen = SeenMessages(window: window)
                let clock = ContinuousClock()
                var lastWrite = clock.now
                try await withGracefulShutdownHandler {
                    try await writer.write(event(try await seen.start(in: transcript, channel: channel, after: after)))
                    for await _ in listener.wakes {
                        let changed = try await seen.changes(in: transcript, channel: channel, changed: listener.takeChanged())
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
                    listener.finish()
                }
                try await writer.finish(nil)
            })
    }

    private func event(_ messages: [TranscriptMessage]) throws -> ByteBuffer {
        // The same entries as `GET /chat/messages` answers with.
        let data = try JSONBody.encode(messages.map(WebChatRoutes.TranscriptEntry.init))
        return ByteBuffer(string: "event: messages\ndata: \(String(decoding: data, as: UTF8.self))\n\n")
    }
}
