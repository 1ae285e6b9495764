import ChatOpsCore
import Foundation

/// The JSON of the OpenAI chat-completions API (platform.openai.com/docs/api-reference/chat), as
/// OpenAI, vLLM, Ollama's `/v1` and the llama.cpp servers accept and answer it.
enum OpenAIWire {
    /// How a schema is asked for: OpenAI's `json_schema` form, or the `json_object` form with a
    /// `schema` member that llama-cpp-python understands (it refuses `json_schema` with HTTP 500).
    static func responseFormat(_ schema: ResponseSchema, style: StructuredOutputStyle) -> JSONValue {
        switch style {
        case .jsonObject:
            return ["type": "json_object", "schema": schema.schema]
        case .jsonSchema, .auto:
            return ["type": "json_schema", "json_schema": ["name": .string(schema.name), "schema": schema.schema]]
        }
    }

    struct Body: Encodable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
        var seed: Int
        var maxTokens: Int
        var stream: Bool
        var streamOptions: JSONValue?
        var responseFormat: JSONValue?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, seed, stream
            case maxTokens = "max_tokens", streamOptions = "stream_options", responseFormat = "response_format"
        }

        init(model: String, request: ChatRequest, stream: Bool, style: StructuredOutputStyle) {
            self.model = model
            self.messages = request.messages
            self.temperature = request.temperature
            self.seed = request.seed
            self.maxTokens = request.maxTokens
            self.stream = stream
            // Asks for token usage in the last chunk; servers that do not know it ignore it.
            self.streamOptions = stream ? ["include_usage": true] : nil
            self.responseFormat = request.schema.map { OpenAIWire.responseFormat($0, style: style) }
        }
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" }
    }

    /// A whole answer.
    struct Answer: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message
        }
        var choices: [Choice]
        var usage: Usage?
    }

    /// One `data:` chunk of a streamed answer.
    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { var content: String? }
            var delta: Delta?
        }
        var choices: [Choice]?
        var usage: Usage?
    }

    /// The error body the servers send (`{"error": {"message": …}}`).
    struct ErrorBody: Decodable {
        struct Detail: Decodable { var message: String? }
        var error: Detail?
    }
}

/// How a server is asked for JSON matching a schema.
public enum StructuredOutputStyle: String, Sendable, Codable, CaseIterable {
    /// `response_format: {type: json_schema, json_schema: {name, schema}}`: OpenAI, vLLM, Ollama, llama.cpp's `llama-server`.
    case jsonSchema = "json_schema"
    /// `response_format: {type: json_object, schema}`: llama-cpp-python's server.
    case jsonObject = "json_object"
    /// `json_schema` first; when the server refuses it, `json_object` from then on.
    case auto
}
