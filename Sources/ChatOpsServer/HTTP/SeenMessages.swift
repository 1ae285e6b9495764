import ChatOpsCore
import Foundation

/// What one event stream has sent: each message's last edit, so that only what is new or edited is
/// sent again.
struct SeenMessages {
    private var updated: [Int64: Date] = [:]
    /// Where the stream began: nothing older is read again unless this process names it.
    private var floor: Int64 = 0
    /// How many of the newest messages are sent first and looked at again for edits.
    let window: Int

    init(window: Int) {
        self.window = window
    }

    /// The first event: every message after `after`, or without it the newest `window`.
    mutating func start(in transcript: some TranscriptLog, channel: String?, after: Int64?) async throws -> [TranscriptMessage] {
        guard let after else {
            let newest = try await transcript.newestMessages(channel: channel, limit: window)
            if let oldest = newest.first {
                floor = oldest.id - 1
            } else {
                // An empty channel begins after the newest message anywhere: later looks never read older ones.
                floor = try await transcript.newestMessages(channel: nil, limit: 1).first?.id ?? 0
            }
            return record(newest, forced: [])
        }
        floor = after
        return record(try await Self.all(in: transcript, channel: channel, after: after), forced: [])
    }

    /// The messages added or edited since the last call: the newest `window` seen and everything
    /// after them, read again (another process may have changed them), and whatever `changed` names
    /// (this process changed them), however old.
    mutating func changes(in transcript: some TranscriptLog, channel: String?, changed: Set<Int64>) async throws -> [TranscriptMessage] {
        let start = max(floor, updated.keys.filter { $0 > floor }.sorted().suffix(window).first.map { $0 - 1 } ?? floor)
        var read = try await Self.all(in: transcript, channel: channel, after: start)
        for id in changed.filter({ $0 <= start }).sorted() {
            if let message = try await transcript.messages(channel: channel, afterID: id - 1, limit: 1).first, message.id == id {
                read.append(message)
            }
        }
        return record(read.sorted { $0.id < $1.id }, forced: changed)
    }

    /// Every message after `after`, read a page at a time.
    private static func all(in transcript: some TranscriptLog, channel: String?, after: Int64) async throws -> [TranscriptMessage] {
        var all: [TranscriptMessage] = []
        var cursor = after
        while true {
            let page = try await transcript.messages(channel: channel, afterID: cursor, limit: 500)
            all += page
            guard page.count == 500, let last = page.last else { return all }
            cursor = last.id
        }
    }

    /// Keeps the messages' edits; returns those not sent yet as they are (or named in `forced`).
    private mutating func record(_ messages: [TranscriptMessage], forced: Set<Int64>) -> [TranscriptMessage] {
        let fresh = messages.filter { updated[$0.id] != $0.updatedAt || forced.contains($0.id) }
        for message in fresh { updated[message.id] = message.updatedAt }
        if updated.count > window * 2 {
            let keep = Set(updated.keys.sorted().suffix(window))
            updated = updated.filter { keep.contains($0.key) }
        }
        return fresh
    }
}
