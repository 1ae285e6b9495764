import ChatOpsCore
import Foundation
import LLM

/// A chat model that answers with fixed text, streamed a word at a time with a pause before each,
/// and keeps what it was asked. It drives the engine's intent and streaming paths with answers a
/// test chooses; the real model is exercised in LLMTests and EndToEndTests.
actor ScriptedModel: ChatModel {
    nonisolated let name = "scripted"
    let answer: String
    let pause: Duration
    private(set) var requests: [ChatRequest] = []

    init(answer: String, pause: Duration = .zero) {
        self.answer = answer
        self.pause = pause
    }

    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        requests.append(request)
        return ChatCompletion(text: answer, model: name, promptTokens: 5, completionTokens: 5)
    }

    nonisolated func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                let completion = try await complete(request)
                for (index, word) in answer.split(separator: " ").enumerated() {
                    try await Task.sleep(for: pause)
                    continuation.yield(.text((index == 0 ? "" : " ") + word))
                }
                continuation.yield(.finished(completion))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
