import Foundation
import LLM

/// A model whose calls are recorded on the health board under the name `llm.models` gives it.
struct ObservedChatModel: ChatModel {
    let model: any ChatModel
    /// The name in `llm.models`.
    let configuredName: String
    let health: HealthBoard
    let redactor: SecretRedactor

    var name: String { model.name }

    func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        do {
            let completion = try await model.complete(request)
            health.succeeded(.model, configuredName)
            return completion
        } catch {
            record(error)
            throw error
        }
    }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let upstream = model.stream(request)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in upstream { continuation.yield(event) }
                    health.succeeded(.model, configuredName)
                    continuation.finish()
                } catch {
                    if !Task.isCancelled { record(error) }
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func record(_ error: any Error) {
        guard !(error is CancellationError) else { return }
        health.failed(.model, configuredName, error: redactor.redact("\(error)"))
    }
}
