import AsyncHTTPClient
import ChatOpsCore
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import OutboundHTTP
import Synchronization

/// A failed model call.
public struct ChatModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    /// The HTTP status the server answered with, when it answered.
    public var status: Int?
    public init(description: String, status: Int? = nil) {
        self.description = description
        self.status = status
    }
}

/// The OpenAI chat-completions API (`POST {base}/chat/completions`), which OpenAI, vLLM, Ollama's
/// `/v1` endpoint and the llama.cpp servers all speak: whole answers, streamed answers
/// (server-sent events) and answers constrained by a JSON schema, with token usage.
///
/// Server errors (5xx), rate limits (429, honouring `Retry-After`) and dropped connections are retried
/// with exponential backoff and jitter; a streamed answer is retried only before its first byte.
public struct OpenAICompatibleModel: ChatModel {
    public struct Settings: Sendable {
        /// Such as `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`.
        public var baseURL: String
        public var model: String
        public var apiKey: String?
        /// How long one request may take.
        public var timeout: Duration
        public var maxAttempts: Int
        public var structuredOutput: StructuredOutputStyle

        public init(
            baseURL: String, model: String, apiKey: String? = nil, timeout: Duration = .seconds(30), maxAttempts: Int = 3,
            structuredOutput: StructuredOutputStyle = .auto
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.model = model
            self.apiKey = apiKey
            self.timeout = timeout
            self.maxAttempts = max(1, maxAttempts)
            self.structuredOutput = structuredOutput
        }
    }

    let settings: Settings
    let http: HTTPClient
    let logger: Logger
    /// The structured-output style found to work, when `settings.structuredOutput` is `.auto`.
    let detectedStyle = StyleMemory()
    public var name: String { settings.model }

    public init(settings: Settings, http: HTTPClient = .shared, logger: Logger) {
        self.settings = settings
        self.http = http
        self.logger = logger
    }

    /// One completion; the deadline (`settings.timeout`) covers every attempt and the whole answer.
    public func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        try await withDeadline(settings.timeout) { [self] in try await completeWithoutDeadline(request) }
    }

    private func completeWithoutDeadline(_ request: ChatRequest) async throws -> ChatCompletion {
        let started = ContinuousClock.now
        let response = try await send(request, stream: false)
        let data = try await response.body.collect(upTo: 4 << 20)
        let answer: OpenAIWire.Answer
        do {
            answer = try JSONDecoder().decode(OpenAIWire.Answer.self, from: Data(data.readableBytesView))
        } catch {
            failure("decode")
            throw ChatModelError(description: "the model server's answer is not a chat completion: \(error)")
        }
        let completion = ChatCompletion(
            text: answer.choices.first?.message.content ?? "", model: settings.model, promptTokens: answer.usage?.promptTokens ?? 0,
            completionTokens: answer.usage?.completionTokens ?? 0)
        record(completion, since: started)
        return completion
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    // The deadline covers the whole stream: a server that stops sending mid-answer is given up on.
                    try await withDeadline(settings.timeout) { [self] in try await streamAnswer(request) { continuation.yield($0) } }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Sends one request, retrying what is worth retrying, and returns a 200 response whose body is unread
    /// (a streamed answer is retried only until its 200 arrives).
    func send(_ request: ChatRequest, stream: Bool) async throws -> HTTPClientResponse {
        var style = request.schema == nil ? .jsonSchema : (detectedStyle.value ?? settings.structuredOutput)
        do {
            return try await retryPolicy.run(isTransient: Self.isTransient, onRetry: logRetry) { _ in
                try await attempt(request, stream: stream, style: &style)
            }
        } catch let error as ChatModelError {
            failure("http_\((error.status ?? 0) / 100)xx")
            throw error
        } catch {
            // A cancelled call (the caller's deadline passed) is counted by the caller, once.
            if !(error is CancellationError), !Task.isCancelled { failure("transport") }
            throw error
        }
    }

    /// One attempt: a 200 response, or why another attempt is worth it (429, 5xx). A server that refuses
    /// OpenAI's `json_schema` form is asked again at once, within the same attempt, in the `json_object` form.
    /// - Throws: `ChatModelError` for an answer not worth retrying; transport errors.
    private func attempt(
        _ request: ChatRequest, stream: Bool, style: inout StructuredOutputStyle
    ) async throws -> RetryPolicy.Attempt<HTTPClientResponse> {
        let timeout = TimeAmount.nanoseconds(settings.timeout.nanoseconds)
        let response = try await http.execute(httpRequest(request, stream: stream, style: style), timeout: timeout)
        let status = Int(response.status.code)
        Counter(label: "llm_requests_total", dimensions: [("model", settings.model), ("status", "\(status)")]).increment()
        if status == 200 {
            if request.schema != nil, settings.structuredOutput == .auto { detectedStyle.remember(style) }
            return .success(response)
        }
        let message = await Self.errorMessage(response)
        if request.schema != nil, style == .auto || style == .jsonSchema, settings.structuredOutput == .auto, [400, 422, 500].contains(status) {
            // llama-cpp-python answers OpenAI's json_schema form with 500; ask in its own form instead.
            logger.info(
                "the model server refused response_format json_schema; using json_object with a schema", metadata: ["llm.model": "\(settings.model)"])
            style = .jsonObject
            return try await attempt(request, stream: stream, style: &style)
        }
        let error = ChatModelError(description: "HTTP \(status) from the model server: \(message)", status: status)
        guard status == 429 || status >= 500 else { throw error }
        return .retry(after: status == 429 ? RetryAfter.wait(in: response.headers) : nil, failure: error)
    }

    /// 250 ms, 500 ms, 1 s … with up to 25 % jitter, at most 8 s; a `Retry-After` of at most 30 s.
    private var retryPolicy: RetryPolicy {
        RetryPolicy(maxAttempts: settings.maxAttempts, baseDelay: .milliseconds(250), maxDelay: .seconds(8), longestWait: .seconds(30))
    }

    private func logRetry(attempt: Int, error: any Error, wait: Duration) {
        if let status = (error as? ChatModelError)?.status {
            logger.warning(
                "model call failed; retrying", metadata: ["llm.model": "\(settings.model)", "llm.status": "\(status)", "llm.wait": "\(wait)"])
        } else {
            logger.warning("model server unreachable; retrying", metadata: ["llm.model": "\(settings.model)", "error": "\(error)"])
        }
    }

    private func streamAnswer(_ request: ChatRequest, yield: (ChatStreamEvent) -> Void) async throws {
        let started = ContinuousClock.now
        let response = try await send(request, stream: true)
        var text = ""
        var chunks = 0
        var usage: OpenAIWire.Usage?
        var done = false
        let decoder = JSONDecoder()
        try await ServerSentEvents.forEachData(in: response.body) { data in
            if data == "[DONE]" {
                done = true
                return false
            }
            guard let chunk = try? decoder.decode(OpenAIWire.Chunk.self, from: Data(data.utf8)) else {
                failure("decode")
                throw ChatModelError(description: "the model server sent a chunk that is not a chat completion: \(data.prefix(200))")
            }
            if let piece = chunk.choices?.first?.delta?.content, !piece.isEmpty {
                text += piece
                chunks += 1
                yield(.text(piece))
            }
            if let chunkUsage = chunk.usage { usage = chunkUsage }
            return true
        }
        guard done else {
            failure("incomplete_stream")
            throw ChatModelError(description: "the model server ended the stream before `data: [DONE]`")
        }
        // Servers that send no usage in a stream (llama-cpp-python): one content chunk is one token.
        let completion = ChatCompletion(
            text: text, model: settings.model, promptTokens: usage?.promptTokens ?? 0, completionTokens: usage?.completionTokens ?? chunks)
        record(completion, since: started)
        yield(.finished(completion))
    }

    private func httpRequest(_ request: ChatRequest, stream: Bool, style: StructuredOutputStyle) throws -> HTTPClientRequest {
        var http = HTTPClientRequest(url: settings.baseURL + "/chat/completions")
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        if stream { http.headers.add(name: "Accept", value: "text/event-stream") }
        if let key = settings.apiKey { http.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let body = OpenAIWire.Body(model: settings.model, request: request, stream: stream, style: style)
        http.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        return http
    }

    private func record(_ completion: ChatCompletion, since started: ContinuousClock.Instant) {
        Metrics.Timer(label: "llm_request_duration_seconds", dimensions: [("model", settings.model)])
            .recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        Counter(label: "llm_tokens_total", dimensions: [("model", settings.model), ("direction", "in")]).increment(by: completion.promptTokens)
        Counter(label: "llm_tokens_total", dimensions: [("model", settings.model), ("direction", "out")]).increment(by: completion.completionTokens)
    }

    private func failure(_ reason: String) {
        Counter(label: "llm_failures_total", dimensions: [("model", settings.model), ("reason", reason)]).increment()
    }

    /// Dropped or refused connections are worth another try; a timeout, a cancellation or the server's
    /// own refusal (`ChatModelError`, decided by its status) is not.
    static func isTransient(_ error: any Error) -> Bool {
        !(error is ChatModelError) && !(error is CancellationError) && !Task.isCancelled && (error as? HTTPClientError) != .deadlineExceeded
    }

    static func errorMessage(_ response: HTTPClientResponse) async -> String {
        guard let body = try? await response.body.collect(upTo: 64 << 10) else { return "no body" }
        let data = Data(body.readableBytesView)
        if let message = (try? JSONDecoder().decode(OpenAIWire.ErrorBody.self, from: data))?.error?.message {
            return String(message.prefix(300))
        }
        return String(decoding: data.prefix(300), as: UTF8.self)
    }
}

/// Remembers the structured-output style a server accepted.
final class StyleMemory: Sendable {
    private let stored = Mutex<StructuredOutputStyle?>(nil)
    var value: StructuredOutputStyle? { stored.withLock { $0 } }
    func remember(_ style: StructuredOutputStyle) { stored.withLock { $0 = style } }
}
