import ChatOpsCore
import Foundation

/// The transcript, telling every listener which message this process added or edited, so the web
/// chat's event stream pushes it at once instead of waiting for its next look at the store.
public struct SignallingTranscript: TranscriptLog {
    let base: any TranscriptLog
    /// Fired after each append and edit, with the message's id.
    public let changes = ChangeSignal()

    public init(_ base: any TranscriptLog) {
        self.base = base
    }

    public func appendMessage(
        channel: String, thread: String?, author: String, reply: Reply, idempotencyKey: String, at date: Date
    ) async throws -> TranscriptMessage {
        let message = try await base.appendMessage(
            channel: channel, thread: thread, author: author, reply: reply, idempotencyKey: idempotencyKey, at: date)
        changes.fire(message.id)
        return message
    }

    public func updateMessage(id: Int64, reply: Reply, at date: Date) async throws {
        try await base.updateMessage(id: id, reply: reply, at: date)
        changes.fire(id)
    }

    public func messages(channel: String?, afterID: Int64, limit: Int) async throws -> [TranscriptMessage] {
        try await base.messages(channel: channel, afterID: afterID, limit: limit)
    }

    public func newestMessages(channel: String?, limit: Int) async throws -> [TranscriptMessage] {
        try await base.newestMessages(channel: channel, limit: limit)
    }
}
