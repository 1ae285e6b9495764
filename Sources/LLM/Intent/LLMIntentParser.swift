import ChatOpsCore
import Foundation
import Logging
import Metrics

/// Turns a request in plain words into a command with a model constrained by `IntentSchema`.
///
/// The model's answer is only a proposal: it must be JSON matching the schema, every value it
/// fills in must come from the person's own words (or be the argument's default), and the command
/// it names is then parsed exactly as if it had been typed. Anything else is `notUnderstood`.
/// Secrets in the request are redacted before it is sent.
public struct LLMIntentParser: IntentInterpreter {
    let model: any ChatModel
    let parser: CommandParser
    /// A Mustache template for the system message (`commands/prompts/intent.md`); `{{commands}}` lists the commands.
    let prompt: String
    let redactor: SecretRedactor
    let timeout: Duration
    let logger: Logger

    /// Where a team may keep its own system prompt, relative to the commands folder.
    public static let promptPath = "prompts/intent.md"

    public static let defaultPrompt = """
        You choose the command that does what the user asks, and fill in its parameters with words from the user's request.
        Commands:
        {{commands}}
        If no command fits, answer with command "none".
        """

    public init(
        model: any ChatModel, parser: CommandParser, prompt: String? = nil, redactor: SecretRedactor = SecretRedactor(),
        timeout: Duration = .seconds(20), logger: Logger
    ) {
        self.model = model
        self.parser = parser
        self.prompt = prompt ?? Self.defaultPrompt
        self.redactor = redactor
        self.timeout = timeout
        self.logger = logger
    }

    /// The request sent to the model for some words: the commands in the system message, the
    /// person's words (redacted) in the user message, and the schema.
    public func request(for text: String) -> ChatRequest {
        let commands = parser.registry.specs.map(Self.describe).joined(separator: "\n")
        let system = (try? TemplateRenderer.render(prompt, values: ["commands": commands])) ?? Self.defaultPrompt
        return ChatRequest(
            messages: [ChatMessage(.system, system), ChatMessage(.user, "Request: \(redactor.redact(text))")],
            maxTokens: 160, schema: ResponseSchema(name: "chatops_command", schema: IntentSchema.schema(for: parser.registry.specs)))
    }

    public func interpret(_ text: String) async -> IntentResult {
        let request = request(for: text)
        let answer: ChatCompletion
        do {
            answer = try await withDeadline(timeout) { [model] in try await model.complete(request) }
        } catch {
            if error is DeadlineExceeded {
                Counter(label: "llm_failures_total", dimensions: [("model", model.name), ("reason", "timeout")]).increment()
            }
            logger.warning("intent model failed", metadata: ["llm.model": "\(model.name)", "error": "\(error)"])
            return .notUnderstood(reason: "the language model did not answer")
        }
        let result = IntentAnswer.resolve(answer.text, words: text, parser: parser, interpretedBy: answer.model)
        if case .notUnderstood(let reason) = result {
            Counter(label: "llm_intent_rejections_total", dimensions: [("model", model.name)]).increment()
            logger.info("intent answer refused", metadata: ["llm.reason": "\(reason)"])
        }
        return result
    }

    /// `rollback: Roll a model back … Parameters: model (model name), env (staging or prod).`
    static func describe(_ spec: CommandSpec) -> String {
        let parameters = spec.args.map { argument -> String in
            var notes: [String] = []
            if let help = argument.help { notes.append(help) }
            if let values = argument.values { notes.append(values.joined(separator: " or ")) }
            if argument.type == .integer || argument.type == .percent { notes.append("number") }
            return notes.isEmpty ? argument.name : "\(argument.name) (\(notes.joined(separator: ", ")))"
        }
        return "\(spec.name): \(spec.summary)." + (parameters.isEmpty ? "" : " Parameters: \(parameters.joined(separator: ", ")).")
    }
}
