import Foundation

/// The local chat transcript (web chat and console).
public protocol TranscriptLog: Sendable {
    /// Appends a message; a second append with the same idempotency key returns the first.
    func appendMessage(
        channel: String, thread: String?, author: String, reply: Reply, idempotencyKey: String, at: Date
    ) async throws -> TranscriptMessage
    func updateMessage(id: Int64, reply: Reply, at: Date) async throws
    /// Messages after `afterID`, oldest first, at most `limit`: a page; the next starts after the last id.
    func messages(channel: String?, afterID: Int64, limit: Int) async throws -> [TranscriptMessage]
    /// The newest `limit` messages, oldest first: where a reader that was away starts again.
    func newestMessages(channel: String?, limit: Int) async throws -> [TranscriptMessage]
}

extension TranscriptLog {
    /// Every message after `afterID`, oldest first.
    public func messages(channel: String?, afterID: Int64) async throws -> [TranscriptMessage] {
        try await messages(channel: channel, afterID: afterID, limit: Int.max)
    }
}
