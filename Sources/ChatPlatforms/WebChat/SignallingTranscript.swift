import ChatOpsCore
import Foundation
import Synchronization

/// The transcript, telling every listener when this process adds or edits a message, so the web
/// chat's event stream pushes it at once instead of waiting for its next look at the store.
public struct SignallingTranscript: TranscriptLog {
    let base: any TranscriptLog
    /// Fired after each append and edit.
    public let changes = ChangeSignal()

    public init(_ base: any TranscriptLog) {
        self.base = base
    }

    public func appendMessage(
        channel: String, thread: String?, author: String, reply: Reply, idempotencyKey: String, at date: Date
    ) async throws -> TranscriptMessage {
        let message = try await base.appendMessage(
            channel: channel, thread: thread, author: author, reply: reply, idempotencyKey: idempotencyKey, at: date)
        changes.fire()
        return message
    }

    public func updateMessage(id: Int64, reply: Reply, at date: Date) async throws {
        try await base.updateMessage(id: id, reply: reply, at: date)
        changes.fire()
    }

    public func messages(channel: String?, afterID: Int64, limit: Int) async throws -> [TranscriptMessage] {
        try await base.messages(channel: channel, afterID: afterID, limit: limit)
    }
}

/// Wakes every listener when something changed. A listener that is busy sees one wake for all the
/// changes meanwhile.
public final class ChangeSignal: Sendable {
    private let listeners = Mutex<[UUID: AsyncStream<Void>.Continuation]>([:])

    public init() {}

    public func fire() {
        listeners.withLock { all in
            for listener in all.values { listener.yield() }
        }
    }

    /// A stream that yields after each change, and the continuation to wake it otherwise (a timer)
    /// or to end it. The listener is forgotten when the stream ends.
    public func listen() -> (AsyncStream<Void>, AsyncStream<Void>.Continuation) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        listeners.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.listeners.withLock { $0.removeValue(forKey: id) } }
        return (stream, continuation)
    }

    /// How many listen now.
    public var listenerCount: Int { listeners.withLock { $0.count } }
}
