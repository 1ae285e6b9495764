import ChatOpsCore
import ChatPlatforms

extension Engine {
    /// Posts the message that shows a pending request and notes it on the stored request (`save`),
    /// so answers typed in the thread it starts find the request and later changes update it.
    func show<Request: PendingRequest>(
        _ request: Request, as reply: Reply, key: String, save: @escaping @Sendable (MessageRef) async throws -> Void
    ) async throws {
        guard let message = try await post(reply, to: request.conversation, key: key) else { return }
        try await save(message)
    }

    /// Updates the message that shows a request after a vote, an answer or its expiry.
    func refresh<Request: PendingRequest>(_ request: Request, as reply: Reply) async {
        guard let message = request.message else { return }
        await update(message, with: reply)
    }
}
