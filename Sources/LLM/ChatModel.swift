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

/// A request to a chat model. Temperature 0 and a fixed seed by default, for reproducible output.
public struct ChatRequest: Sendable, Equatable {
    public var messages: [ChatMessage]
    public var temperature: Double
    public var seed: Int
    public var maxTokens: Int

    public init(messages: [ChatMessage], temperature: Double = 0, seed: Int = 42, maxTokens: Int = 200) {
        self.messages = messages
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
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

/// A language model behind a chat interface (OpenAI, vLLM, Ollama, the llama.cpp server …).
public protocol ChatModel: Sendable {
    /// The model's name, as recorded in the audit log.
    var name: String { get }
    func complete(_ request: ChatRequest) async throws -> ChatCompletion
}
