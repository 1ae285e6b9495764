import ChatOpsCore
import Foundation

/// The terminal chat of `chatops shell` and `chatops run`: replies are printed as they come.
public final class ConsolePlatform: ChatPlatform, @unchecked Sendable {
    public let name = "console"
    /// A terminal prints; it cannot edit what it printed.
    public let supportsEditing = false
    /// A terminal is one room.
    public let hasThreads = false
    private let lock = NSLock()
    private var posted: [String: MessageRef] = [:]
    private var counter = 0
    private let output: @Sendable (String, Reply) -> Void

    /// - Parameter output: receives each rendered message and the reply it came from.
    public init(output: @escaping @Sendable (String, Reply) -> Void) {
        self.output = output
    }

    public func post(_ reply: Reply, in conversation: Conversation, idempotencyKey: String) async throws -> MessageRef {
        let (ref, isNew) = lock.withLock { () -> (MessageRef, Bool) in
            if let existing = posted[idempotencyKey] { return (existing, false) }
            counter += 1
            let ref = MessageRef(conversation: conversation, id: "console-\(counter)", replyThread: conversation.thread ?? "console-\(counter)")
            posted[idempotencyKey] = ref
            return (ref, true)
        }
        if isNew { output(ConsoleRenderer.render(reply), reply) }
        return ref
    }

    public func update(_ message: MessageRef, with reply: Reply) async throws {
        output(ConsoleRenderer.render(reply), reply)
    }
}
