import ChatOpsCore
import Foundation
import LLM
import Logging
import NIOCore
import Synchronization

/// The local OpenAI-compatible server `scripts/test` starts (llama.cpp with SmolLM2-135M-Instruct).
enum LocalModel {
    static func make(timeout: Int64 = 60) throws -> OpenAICompatibleModel {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_LLM_URL"] else {
            throw ChatModelError(description: "CHATOPS_LLM_URL is not set: run the tests with scripts/test, which starts the local model server")
        }
        return OpenAICompatibleModel(settings: .init(baseURL: url, model: "smollm2", timeout: .seconds(timeout)), logger: Logger(label: "test"))
    }
}

/// Wraps a model and keeps every request it was sent.
actor RecordingModel: ChatModel {
    nonisolated let name: String
    let inner: (any ChatModel)?
    let scripted: String?
    let delay: Duration
    private(set) var requests: [ChatRequest] = []

    init(_ inner: any ChatModel) {
        self.inner = inner
        self.name = inner.name
        self.scripted = nil
        self.delay = .zero
    }

    /// A stand-in that answers with fixed text, to drive the guard with adversarial output.
    init(answering text: String, after delay: Duration = .zero) {
        self.inner = nil
        self.name = "scripted"
        self.scripted = text
        self.delay = delay
    }

    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        requests.append(request)
        if let inner { return try await inner.complete(request) }
        try await Task.sleep(for: delay)
        return ChatCompletion(text: scripted ?? "", model: name, promptTokens: 1, completionTokens: 1)
    }
}

enum Samples {
    static let spec = CommandSpec(
        name: "eval", summary: "Evaluate", allow: ["*"], action: ActionSpec(backend: "sandbox", operation: "eval"), summaryPrompt: "prompts/eval.md")
    static let invocation = Invocation(command: "eval", arguments: ["model": .string("fraud")], displayText: "eval fraud")
    static let prompts = ["prompts/eval.md": "Summarize `{{command}}` in two sentences.\n\n{{data}}"]
    static func outcome(log: String? = nil) -> Outcome {
        Outcome(
            status: .succeeded, headline: "Evaluated fraud v12 on holdout (640 cases).",
            facts: [Fact("accuracy", "0.912"), Fact("f1", "0.87"), Fact("auc", "0.95")], log: log)
    }
}

/// A stand-in that streams fixed pieces of text with a pause before each, to drive the streaming
/// guard and the update pacing deterministically.
struct PacedModel: ChatModel {
    let name = "paced"
    let pieces: [String]
    let pause: Duration
    /// How long the model waits after its last piece before it finishes; nil: at once.
    var stall: Duration? = nil
    /// How many pieces were sent before the reader stopped.
    let sent = SentCount()

    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        ChatCompletion(text: pieces.joined(), model: name, promptTokens: 1, completionTokens: pieces.count)
    }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                for piece in pieces {
                    try await Task.sleep(for: pause)
                    continuation.yield(.text(piece))
                    sent.increment()
                }
                if let stall { try await Task.sleep(for: stall) }
                continuation.yield(.finished(try await complete(request)))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

final class SentCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

/// Collects the partial replies a streamed summary shows, with when each came.
actor ProgressLog {
    private(set) var entries: [(at: ContinuousClock.Instant, reply: Reply)] = []
    func add(_ reply: Reply) { entries.append((ContinuousClock.now, reply)) }
}
