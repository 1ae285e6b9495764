import ChatOpsCore
import Foundation
import LLM
import Logging
import OpenAIAPIDouble
import Testing

@Suite("OpenAI-compatible client: retries, errors, streaming and schemas", .serialized)
struct ClientProtocolTests {
    static func model(
        _ double: OpenAIAPIDouble, attempts: Int = 3, style: StructuredOutputStyle = .auto, timeout: Duration = .seconds(10)
    ) -> OpenAICompatibleModel {
        OpenAICompatibleModel(
            settings: .init(
                baseURL: double.baseURL, model: "double", apiKey: "sk-test-0123456789abcdef", timeout: timeout, maxAttempts: attempts,
                structuredOutput: style),
            logger: Logger(label: "test"))
    }

    static let request = ChatRequest(messages: [ChatMessage(.user, "hi")])

    @Test func aRateLimitIsRetriedAfterTheTimeTheServerAsks() async throws {
        try await OpenAIAPIDouble.run { double in
            double.script([.error(status: 429, type: "requests", message: "Rate limit reached", retryAfter: 1), .answer("fine")])
            let answer = try await Self.model(double).complete(Self.request)
            #expect(answer.text == "fine")
            #expect(answer.promptTokens == 11 && answer.completionTokens == 7)
            let times = double.times
            #expect(times.count == 2)
            #expect(times[1] - times[0] >= .milliseconds(950), "waited for Retry-After")
        }
    }

    @Test func serverErrorsAreRetriedWithBackoffUpToTheLimit() async throws {
        try await OpenAIAPIDouble.run { double in
            double.script([.error(status: 503, type: "server_error", message: "overloaded")])
            await #expect(throws: ChatModelError.self) { try await Self.model(double, attempts: 3).complete(Self.request) }
            #expect(double.requests.count == 3)
            let times = double.times
            #expect(times[1] - times[0] >= .milliseconds(180), "about 250 ms before the second attempt")
            #expect(times[2] - times[1] >= .milliseconds(370), "about 500 ms before the third")
        }
    }

    @Test func aServerThatStallsAfterItsHeadersIsGivenUpOnAtTheDeadline() async throws {
        try await OpenAIAPIDouble.run { double in
            double.script([.stallAfterHeaders])
            let model = Self.model(double, timeout: .milliseconds(500))
            await #expect(throws: DeadlineExceeded(timeout: .milliseconds(500))) { try await model.complete(Self.request) }
            await #expect(throws: DeadlineExceeded(timeout: .milliseconds(500))) {
                for try await _ in model.stream(Self.request) {}
            }
        }
    }

    @Test func authenticationErrorsAreNotRetriedAndSayWhatTheServerSaid() async throws {
        try await OpenAIAPIDouble.run { double in
            double.script([.error(status: 401, type: "invalid_request_error", message: "Incorrect API key provided")])
            do {
                _ = try await Self.model(double).complete(Self.request)
                Issue.record("no error")
            } catch let error as ChatModelError {
                #expect(error.status == 401)
                #expect(error.description.contains("Incorrect API key provided"))
                #expect(!error.description.contains("sk-test"), "the key is never in an error")
            }
            #expect(double.requests.count == 1)
        }
    }

    @Test func aStreamYieldsPiecesThenTheWholeAnswerWithUsage() async throws {
        try await OpenAIAPIDouble.run { double in
            double.script([.answer("fraud v12 is live")])
            var pieces: [String] = []
            var finished: ChatCompletion?
            for try await event in Self.model(double).stream(Self.request) {
                switch event {
                case .text(let piece): pieces.append(piece)
                case .finished(let completion): finished = completion
                }
            }
            #expect(pieces == ["fraud", " v12", " is", " live"])
            #expect(finished?.text == "fraud v12 is live")
            #expect(finished?.promptTokens == 11 && finished?.completionTokens == 7, "usage from the last chunk")
            #expect(double.requests.first?["stream"] == .bool(true))
            #expect(double.requests.first?["stream_options"]?["include_usage"] == .bool(true))
        }
    }

    @Test func aRefusedJSONSchemaFormatIsAskedAgainAsJSONObjectAndRemembered() async throws {
        try await OpenAIAPIDouble.run { double in
            double.script([.refuseJSONSchema(answer: #"{"ok": true}"#)])
            let model = Self.model(double)
            let schema = ResponseSchema(name: "check", schema: ["type": "object", "properties": ["ok": ["type": "boolean"]]])
            let request = ChatRequest(messages: [ChatMessage(.user, "ok?")], schema: schema)
            let first = try await model.complete(request)
            let second = try await model.complete(request)
            #expect(first.text == #"{"ok": true}"# && second.text == first.text)
            let formats = double.requests.map { $0["response_format"]?["type"]?.string }
            #expect(formats == ["json_schema", "json_object", "json_object"], "asked once in each form, then only in the one that works")
            #expect(double.requests[1]["response_format"]?["schema"] == schema.schema)
            #expect(double.requests[0]["response_format"]?["json_schema"]?["schema"] == schema.schema)
        }
    }

    @Test func aConfiguredStyleIsUsedAsIs() async throws {
        try await OpenAIAPIDouble.run { double in
            double.script([.answer("{}")])
            let schema = ResponseSchema(name: "s", schema: ["type": "object"])
            _ = try await Self.model(double, style: .jsonSchema).complete(ChatRequest(messages: [], schema: schema))
            _ = try await Self.model(double, style: .jsonObject).complete(ChatRequest(messages: [], schema: schema))
            #expect(double.requests.map { $0["response_format"]?["type"]?.string } == ["json_schema", "json_object"])
            #expect(double.requests.allSatisfy { $0["temperature"] == 0 && $0["seed"] == 42 })
        }
    }
}
