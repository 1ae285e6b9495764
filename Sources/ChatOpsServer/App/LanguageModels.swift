import ChatOpsCore
import Foundation
import LLM
import Logging

/// The models named under `llm.models`, put to the uses `llm:` assigns them: `summary_model`
/// writes summaries, `intent_model` reads plain-words requests. The same model may do both.
struct LanguageModels {
    let summarizer: any Summarizer
    let interpreter: (any IntentInterpreter)?

    /// - Parameter health: where each model's calls are recorded.
    init(
        configuration: BotConfiguration, parser: CommandParser, prompts: [String: String], redactor: SecretRedactor, health: HealthBoard,
        logger: Logger
    ) {
        let llm = configuration.llm
        let models = Dictionary(
            uniqueKeysWithValues: Self.models(llm, logger: logger).map { name, model in
                (name, ObservedChatModel(model: model, configuredName: name, health: health, redactor: redactor))
            })
        let timeout = Duration.milliseconds(llm.timeoutMilliseconds)
        if let name = llm.summaryModel, let model = models[name] {
            summarizer = LLMSummarizer(
                model: model, prompts: prompts, redactor: redactor, timeout: timeout,
                streamInterval: llm.stream ? .milliseconds(llm.streamIntervalMilliseconds) : nil, logger: logger)
        } else {
            summarizer = TemplateSummarizer()
        }
        interpreter = llm.intentModel.flatMap { models[$0] }.map { model in
            LLMIntentParser(
                model: model, parser: parser, prompt: prompts[LLMIntentParser.promptPath], redactor: redactor, timeout: timeout, logger: logger)
        }
    }

    static func models(_ llm: BotConfiguration.LLMSection, logger: Logger) -> [String: OpenAICompatibleModel] {
        settings(llm).mapValues { OpenAICompatibleModel(settings: $0, logger: logger) }
    }

    /// Each of `llm.models` as client settings.
    static func settings(_ llm: BotConfiguration.LLMSection) -> [String: OpenAICompatibleModel.Settings] {
        llm.models.mapValues { settings in
            .init(
                baseURL: settings.baseURL, model: settings.model, apiKey: settings.apiKey, timeout: .milliseconds(llm.timeoutMilliseconds),
                maxAttempts: settings.maxAttempts ?? 3, structuredOutput: settings.structuredOutput ?? .auto)
        }
    }
}

extension LoadedConfiguration {
    /// The summarizer of `summary_model`, writing each summary in one piece, with the configuration's
    /// prompts and redactor; nil when no summary model is configured. For `chatops measure-summaries`.
    public func summaryWriter(logger: Logger) -> LLMSummarizer? {
        let llm = configuration.llm
        guard let name = llm.summaryModel, let model = LanguageModels.models(llm, logger: logger)[name] else { return nil }
        return LLMSummarizer(
            model: model, prompts: prompts, redactor: SecretRedactor(secrets: configuration.secrets),
            timeout: .milliseconds(llm.timeoutMilliseconds), streamInterval: nil, logger: logger)
    }
}
