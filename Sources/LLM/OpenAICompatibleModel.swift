import AsyncHTTPClient
import ChatOpsCore
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1

/// A failed model call.
public struct ChatModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// The OpenAI chat-completions API (`POST {base}/chat/completions`), which OpenAI, vLLM, Ollama's
/// `/v1` endpoint and the llama.cpp server all speak.
public struct OpenAICompatibleModel: ChatModel {
    public struct Settings: Sendable {
        /// Such as `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`.
        public var baseURL: String
        public var model: String
        public var apiKey: String?
        public var timeout: TimeAmount
        public var maxAttempts: Int

        public init(baseURL: String, model: String, apiKey: String? = nil, timeout: TimeAmount = .seconds(30), maxAttempts: Int = 2) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.model = model
            self.apiKey = apiKey
            self.timeout = timeout
            self.maxAttempts = maxAttempts
        }
    }

    let settings: Settings
    let http: HTTPClient
    let logger: Logger
    public var name: String { settings.model }

    public init(settings: Settings, http: HTTPClient = .shared, logger: Logger) {
        self.settings = settings
        self.http = http
        self.logger = logger
    }

    struct Body: Encodable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
        var seed: Int
        var maxTokens: Int
        var stream = false
        enum CodingKeys: String, CodingKey { case model, messages, temperature, seed, stream, maxTokens = "max_tokens" }
    }

    struct Answer: Decodable {
        struct Choice: Decodable { struct Message: Decodable { var content: String? }; var message: Message }
        struct Usage: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?
            enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" }
        }
        var choices: [Choice]
        var usage: Usage?
    }

    public func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await once(request)
            } catch let error as ChatModelError where attempt < settings.maxAttempts && error.description.hasPrefix("HTTP 5") {
                logger.warning("model call failed; retrying", metadata: ["llm.model": "\(settings.model)", "error": "\(error)"])
            }
            try await Task.sleep(for: .milliseconds(250 * attempt))
        }
    }

    private func once(_ request: ChatRequest) async throws -> ChatCompletion {
        var http = HTTPClientRequest(url: settings.baseURL + "/chat/completions")
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        if let key = settings.apiKey { http.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let body = Body(model: settings.model, messages: request.messages, temperature: request.temperature, seed: request.seed, maxTokens: request.maxTokens)
        http.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let started = ContinuousClock.now
        let response = try await self.http.execute(http, timeout: settings.timeout)
        let data = try await response.body.collect(upTo: 4 << 20)
        Counter(label: "llm_requests_total", dimensions: [("model", settings.model), ("status", "\(response.status.code)")]).increment()
        guard response.status == .ok else { throw ChatModelError(description: "HTTP \(response.status.code) from the model server") }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(data.readableBytesView))
        let elapsed = ContinuousClock.now - started
        Metrics.Timer(label: "llm_request_duration_seconds", dimensions: [("model", settings.model)]).recordNanoseconds(elapsed.nanoseconds)
        let completion = ChatCompletion(
            text: answer.choices.first?.message.content ?? "", model: settings.model, promptTokens: answer.usage?.promptTokens ?? 0,
            completionTokens: answer.usage?.completionTokens ?? 0)
        Counter(label: "llm_tokens_total", dimensions: [("model", settings.model), ("direction", "in")]).increment(by: completion.promptTokens)
        Counter(label: "llm_tokens_total", dimensions: [("model", settings.model), ("direction", "out")]).increment(by: completion.completionTokens)
        return completion
    }
}
