import ChatOpsCore
import Foundation

/// One message of a chat with a language model.
public struct ChatMessage: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable { case system, user, assistant }
    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// A JSON schema the answer must match (structured output).
public struct ResponseSchema: Sendable, Equatable {
    /// A short name for the schema (OpenAI asks for one).
    public var name: String
    public var schema: JSONValue

    public init(name: String, schema: JSONValue) {
        self.name = name
        self.schema = schema
    }
}

/// A request to a chat model. Temperature 0 and a fixed seed by default, for reproducible output.
public struct ChatRequest: Sendable, Equatable {
    public var messages: [ChatMessage]
    public var temperature: Double
    public var seed: Int
    public var maxTokens: Int
    /// When set, the model is asked to answer with JSON matching this schema.
    public var schema: ResponseSchema?

    public init(messages: [ChatMessage], temperature: Double = 0, seed: Int = 42, maxTokens: Int = 200, schema: ResponseSchema? = nil) {
        self.messages = messages
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
        self.schema = schema
    }
}

/// What a model answered, with its token usage.
public struct ChatCompletion: Sendable, Equatable {
    public var text: String
    public var model: String
    public var promptTokens: Int
    public var completionTokens: Int

    public init(text: String, model: String, promptTokens: Int, completionTokens: Int) {
        self.text = text
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// One step of a streamed answer.
public enum ChatStreamEvent: Sendable, Equatable {
    /// The next piece of text.
    case text(String)
    /// The answer is complete: the whole text and its usage.
    case finished(ChatCompletion)
}

/// A language model behind a chat interface (OpenAI, vLLM, Ollama, the llama.cpp server …).
public protocol ChatModel: Sendable {
    /// The model's name, as recorded in the audit log.
    var name: String { get }
    /// Answers in one piece.
    func complete(_ request: ChatRequest) async throws -> ChatCompletion
    /// Answers piece by piece, ending with `.finished`.
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error>
}

extension ChatModel {
    /// Models that cannot stream answer in one piece.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let completion = try await complete(request)
                    continuation.yield(.text(completion.text))
                    continuation.yield(.finished(completion))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
