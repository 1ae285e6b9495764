import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Foundation
import LLM
import Logging
import OpsBackends

/// Everything the bot is made of, wired from a validated configuration. `serve`, `shell` and `run`
/// all build one and differ only in how messages reach it.
public struct BotRuntime: Sendable {
    public let loaded: LoadedConfiguration
    /// The store `store:` chose, and its connections (`storage.whileRunning` keeps them up).
    public let storage: OpenedStore
    public var store: any Store { storage.store }
    public let engine: Engine
    /// Where webhooks, outward connections and the web chat store what arrives (one group commit for all).
    let intake: StoreIntake
    /// The web chat's transcript in the store, telling its event streams of each change.
    let transcript: SignallingTranscript
    public let logger: Logger

    /// - Parameters:
    ///   - configPath: `chatops.yaml`.
    ///   - extraPlatforms: platforms beyond the built-in web chat (the console for `shell` and `run`).
    ///   - logger: the root logger.
    /// - Throws: `ValidationFailure` when the configuration or a command is invalid; store errors.
    public static func make(configPath: String, extraPlatforms: [any ChatPlatform] = [], logger: Logger) throws -> BotRuntime {
        let loaded = try ConfigurationLoader.load(path: configPath)
        let configuration = loaded.configuration
        let storage = try configuration.store.open(base: loaded.baseDirectory, logger: logger)
        let store = storage.store
        let parser = CommandParser(registry: loaded.registry, rootCommand: configuration.bot.rootCommand, botNames: configuration.bot.names)
        let redactor = SecretRedactor(secrets: configuration.secrets)
        let backendEnvironment = BackendEnvironment(
            models: LanguageModels.settings(configuration.llm), records: store, redactor: redactor, logger: logger)
        let backends: [any Backend] =
            [SandboxBackend(store: store, stepDelay: .milliseconds(configuration.sandbox.stepMilliseconds))]
            + (try configuration.backends.sorted { $0.key < $1.key }.map {
                try $0.value.makeBackend(name: $0.key, all: configuration.backends, base: loaded.baseDirectory, shared: backendEnvironment)
            })
        let intake = StoreIntake(store: store, logger: logger)
        let transcript = SignallingTranscript(store)
        let environment = PlatformEnvironment(
            intake: intake, deliveries: store, parser: parser, roles: configuration.roles, logger: logger)
        let platforms =
            [WebChatPlatform(transcript: transcript)] + extraPlatforms
            + (try PlatformRegistry.platforms(configuration.platforms, environment: environment))
        let health = HealthBoard()
        let models = LanguageModels(
            configuration: configuration, parser: parser, prompts: loaded.prompts, redactor: redactor, health: health, logger: logger)
        let engine = Engine(
            store: store, registry: loaded.registry, parser: parser, roles: configuration.roles, identities: configuration.identities,
            adminRole: configuration.adminRole,
            platforms: platforms, backends: backends, summarizer: models.summarizer, interpreter: models.interpreter,
            proposalLifetime: TimeInterval(configuration.llm.proposalMinutes * 60), redactor: redactor,
            quietEntries: Set(configuration.schedules.filter(\.onlyOnChange).map(\.name)),
            backendLimits: configuration.backends.mapValues(\.limits), health: health, logger: logger)
        return BotRuntime(loaded: loaded, storage: storage, engine: engine, intake: intake, transcript: transcript, logger: logger)
    }

    /// The job workers, configured from `workers:`.
    public func workerService(identity: String = JobWorkerService.processIdentity) -> JobWorkerService {
        let workers = loaded.configuration.workers
        return JobWorkerService(
            engine: engine,
            settings: .init(
                workers: workers.count, lease: TimeInterval(workers.leaseSeconds), poll: .milliseconds(workers.pollMilliseconds),
                maxAttempts: workers.maxAttempts),
            identity: identity, logger: logger)
    }

    /// The scheduler, with every entry of `schedules:` (validated already).
    public func schedulerService() -> SchedulerService {
        let entries = loaded.configuration.schedules.compactMap { entry -> ScheduledCommand? in
            guard let zone = TimeZone(identifier: entry.timeZone), let schedule = try? CronSchedule(entry.cron, timeZone: zone) else {
                return nil
            }
            return ScheduledCommand(
                name: entry.name, schedule: schedule, text: entry.command,
                runAs: Principal(platform: entry.platform, userID: entry.runAs, displayName: "\(entry.runAs) (schedule \(entry.name))"),
                conversation: Conversation(platform: entry.platform, channel: entry.channel))
        }
        return SchedulerService(entries: entries, store: store, logger: logger)
    }

    /// Stores a typed message as a job, exactly as a webhook would.
    /// - Returns: the job id.
    @discardableResult
    public func submit(text: String, sender: Principal, channel: String, thread: String? = nil) async throws -> String {
        let id = RandomID.make()
        let inbound = Inbound(
            kind: .message(text: text), sender: sender, conversation: Conversation(platform: sender.platform, channel: channel, thread: thread),
            replyThread: thread == nil ? id : nil, dedupeKey: "\(sender.platform):\(id)")
        return try await store.enqueue(inbound).jobID
    }

    /// Runs queued jobs in this process until none is runnable (used by `shell` and `run`).
    public func drain() async {
        let worker = workerService(identity: "cli-\(ProcessInfo.processInfo.processIdentifier)")
        while await worker.runOne(worker: worker.identity) {}
    }
}
