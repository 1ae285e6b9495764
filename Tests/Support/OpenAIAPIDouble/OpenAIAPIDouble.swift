import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import LocalServer
import NIOCore

/// A local stand-in for OpenAI's chat-completions endpoint, for the failures a real local model
/// never produces. Faithful to the published API: errors are `application/json` bodies
/// `{"error": {"message", "type", "param", "code"}}` (platform.openai.com/docs/guides/error-codes),
/// rate limits answer 429 with `retry-after` and `x-ratelimit-*` headers
/// (platform.openai.com/docs/guides/rate-limits), and a stream is `text/event-stream` with
/// `data: {chunk}` events ending in `data: [DONE]`, the last chunk carrying `usage` when
/// `stream_options.include_usage` is set (platform.openai.com/docs/api-reference/chat/streaming).
public final class OpenAIAPIDouble: @unchecked Sendable {
    public enum Scripted: Sendable {
        case error(status: Int, type: String, message: String, retryAfter: Int? = nil)
        case answer(String)
        /// Headers and the first bytes of the answer, then nothing for a minute.
        case stallAfterHeaders
        /// Refuses `response_format` of type `json_schema` like llama-cpp-python (HTTP 500), answers otherwise.
        case refuseJSONSchema(answer: String)
        /// `intent` to requests with a `response_format` (the plain-words parser), `summary` to the others.
        case byPurpose(summary: String, intent: String)
    }

    private let lock = NSLock()
    private var script: [Scripted] = []
    public private(set) var port = 0
    private var bodies: [JSONValue] = []
    private var arrivals: [ContinuousClock.Instant] = []

    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    public var requests: [JSONValue] { lock.withLock { bodies } }
    public var times: [ContinuousClock.Instant] { lock.withLock { arrivals } }

    /// Answers in this order; the last entry repeats.
    public func script(_ entries: [Scripted]) { lock.withLock { script = entries } }

    public static func run<T: Sendable>(_ body: @Sendable (OpenAIAPIDouble) async throws -> T) async throws -> T {
        let double = OpenAIAPIDouble()
        let router = Router(context: BasicRequestContext.self)
        router.post("v1/chat/completions") { request, _ in try await double.complete(request) }
        return try await LocalServer.run(router) { port in
            double.port = port
            return try await body(double)
        }
    }

    private func complete(_ request: Request) async throws -> Response {
        var request = request
        let body = try JSONDecoder().decode(JSONValue.self, from: Data(try await request.collectBody(upTo: 1 << 20).readableBytesView))
        let next: Scripted = lock.withLock {
            bodies.append(body)
            arrivals.append(.now)
            return script.count > 1 ? script.removeFirst() : script.first ?? .answer("")
        }
        switch next {
        case .error(let status, let type, let message, let retryAfter):
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter {
                headers[HTTPField.Name("retry-after")!] = "\(retryAfter)"
                headers[HTTPField.Name("x-ratelimit-limit-requests")!] = "60"
                headers[HTTPField.Name("x-ratelimit-remaining-requests")!] = "0"
                headers[HTTPField.Name("x-ratelimit-reset-requests")!] = "\(retryAfter)s"
            }
            let error: JSONValue = ["error": ["message": .string(message), "type": .string(type), "param": .null, "code": .null]]
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try error.data())))
        case .refuseJSONSchema(let answer):
            if body["response_format"]?["type"] == "json_schema" {
                let error: JSONValue = [
                    "error": ["message": "Input should be 'text' or 'json_object'", "type": "internal_server_error", "param": .null, "code": .null]
                ]
                return Response(
                    status: .internalServerError, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: try error.data())))
            }
            return try answerResponse(answer, stream: false)
        case .byPurpose(let summary, let intent):
            let text = body["response_format"] == nil ? summary : intent
            return try answerResponse(text, stream: body["stream"] == .bool(true), usage: body["stream_options"]?["include_usage"] == .bool(true))
        case .answer(let text):
            return try answerResponse(text, stream: body["stream"] == .bool(true), usage: body["stream_options"]?["include_usage"] == .bool(true))
        case .stallAfterHeaders:
            let stream = body["stream"] == .bool(true)
            return Response(
                status: .ok, headers: [.contentType: stream ? "text/event-stream" : "application/json"],
                body: ResponseBody { writer in
                    try await writer.write(
                        ByteBuffer(
                            string: stream
                                ? "data: {\"object\": \"chat.completion.chunk\", \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Deployed\"}}]}\n\n"
                                : "{\"id\": "))
                    try await Task.sleep(for: .seconds(60))
                    try await writer.finish(nil)
                })
        }
    }

    private func answerResponse(_ text: String, stream: Bool, usage: Bool = false) throws -> Response {
        let usageValue: JSONValue = ["prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18]
        guard stream else {
            let answer: JSONValue = [
                "id": "chatcmpl-1", "object": "chat.completion", "model": "double",
                "choices": [["index": 0, "message": ["role": "assistant", "content": .string(text)], "finish_reason": "stop"]],
                "usage": usageValue,
            ]
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try answer.data())))
        }
        var events = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).enumerated().map({
            $0.offset == 0 ? String($0.element) : " " + $0.element
        }) {
            let chunk: JSONValue = ["object": "chat.completion.chunk", "choices": [["index": 0, "delta": ["content": .string(word)]]]]
            events += "data: \(String(decoding: try chunk.data(), as: UTF8.self))\n\n"
        }
        if usage {
            let last: JSONValue = ["object": "chat.completion.chunk", "choices": [], "usage": usageValue]
            events += "data: \(String(decoding: try last.data(), as: UTF8.self))\n\n"
        }
        events += "data: [DONE]\n\n"
        return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: events)))
    }
}
