import ChatOpsCore
import ChatPlatforms
import Foundation
import LLM
import Logging

/// The contents of `chatops.yaml`. Every section and key is optional; the defaults run the bot on
/// SQLite, the sandbox backend and the local chats.
public struct BotConfiguration: Decodable, Sendable {
    /// `bot:` how the bot is addressed.
    public struct Bot: Decodable, Sendable {
        /// Names the bot answers to when mentioned (`@chatops deploy …`).
        public var names: [String] = ["chatops"]
        /// The single root slash command (`/mlops deploy …`).
        public var rootCommand: String = "mlops"

        enum CodingKeys: String, CodingKey, CaseIterable { case names, rootCommand = "root_command" }
        init() {}
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            names = try c.decodeIfPresent([String].self, forKey: .names) ?? names
            rootCommand = try c.decodeIfPresent(String.self, forKey: .rootCommand) ?? rootCommand
        }
    }

    /// `server:` where `chatops serve` listens.
    public struct Server: Decodable, Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// Larger request bodies are refused with 413.
        public var maxBodyBytes = 65_536
        /// A connection with no request for this long (or a request head that never ends) is closed.
        public var idleTimeoutMilliseconds = 30_000
        /// A request's body must arrive within this; a slower one gets 408.
        public var readTimeoutMilliseconds = 10_000
        /// Connections beyond this many wait to be accepted.
        public var maxConnections = 1_000

        enum CodingKeys: String, CodingKey, CaseIterable {
            case host, port, maxBodyBytes = "max_body_bytes", idleTimeoutMilliseconds = "idle_timeout_ms", readTimeoutMilliseconds = "read_timeout_ms"
            case maxConnections = "max_connections"
        }
        init() {}
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
            port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
            maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
            idleTimeoutMilliseconds = try c.decodeIfPresent(Int.self, forKey: .idleTimeoutMilliseconds) ?? idleTimeoutMilliseconds
            readTimeoutMilliseconds = try c.decodeIfPresent(Int.self, forKey: .readTimeoutMilliseconds) ?? readTimeoutMilliseconds
            maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections) ?? maxConnections
        }
    }

    /// `workers:` how jobs are run.
    public struct Workers: Decodable, Sendable {
        public var count = 2
        /// How long a claimed job is held before another worker may take it over.
        public var leaseSeconds = 30
        public var pollMilliseconds = 200
        /// After this many attempts a job is reported as failed instead of retried.
        public var maxAttempts = 5

        enum CodingKeys: String, CodingKey, CaseIterable {
            case count, leaseSeconds = "lease_seconds", pollMilliseconds = "poll_ms", maxAttempts = "max_attempts"
        }
        init() {}
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            count = try c.decodeIfPresent(Int.self, forKey: .count) ?? count
            leaseSeconds = try c.decodeIfPresent(Int.self, forKey: .leaseSeconds) ?? leaseSeconds
            pollMilliseconds = try c.decodeIfPresent(Int.self, forKey: .pollMilliseconds) ?? pollMilliseconds
            maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? maxAttempts
        }
    }

    /// `sandbox:` the simulated fleet.
    public struct Sandbox: Decodable, Sendable {
        /// Pause between simulated rollout steps.
        public var stepMilliseconds = 300
        enum CodingKeys: String, CodingKey, CaseIterable { case stepMilliseconds = "step_ms" }
        init() {}
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            stepMilliseconds = try c.decodeIfPresent(Int.self, forKey: .stepMilliseconds) ?? stepMilliseconds
        }
    }

    /// `webchat:` the local HTTP chat.
    ///
    /// On a loopback address it trusts the `user` a request names (the person at the machine, as
    /// in `chatops shell`). Anywhere else every request must carry a per-user bearer token, whose
    /// SHA-256 is listed under `users`; the identity is the token's owner, never the request body.
    public struct WebChat: Decodable, Sendable {
        /// One person allowed in the web chat.
        public struct User: Decodable, Sendable {
            /// Hex SHA-256 of the person's token (`chatops webchat-token <user>` makes both).
            public var tokenSHA256: String
            enum CodingKeys: String, CodingKey, CaseIterable { case tokenSHA256 = "token_sha256" }
        }

        public var enabled = true
        /// Web chat users by id.
        public var users: [String: User] = [:]
        /// The shared token of earlier versions: refused by validation (it cannot say who is asking).
        public var legacyToken: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case enabled, users, legacyToken = "token" }
        init() {}
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
            users = try c.decodeIfPresent([String: User].self, forKey: .users) ?? users
            legacyToken = try c.decodeIfPresent(String.self, forKey: .legacyToken)
        }
    }

    /// `llm:` named chat models and what each is used for: `summary_model` writes summaries,
    /// `intent_model` turns plain-words requests into proposed commands. Without them, replies use
    /// the deterministic template summarizer and only typed commands are understood.
    public struct LLMSection: Decodable, Sendable {
        public struct Model: Decodable, Sendable {
            /// An OpenAI-compatible base URL, such as `https://api.openai.com/v1`.
            public var baseURL: String
            public var model: String
            public var apiKey: String?
            /// How the server is asked for JSON matching a schema: `json_schema` (OpenAI, vLLM, Ollama,
            /// llama.cpp's llama-server), `json_object` (llama-cpp-python) or `auto` (the default).
            public var structuredOutput: StructuredOutputStyle?
            /// Attempts per request (retries on 5xx, 429 and dropped connections).
            public var maxAttempts: Int?
            enum CodingKeys: String, CodingKey, CaseIterable {
                case model, baseURL = "base_url", apiKey = "api_key", structuredOutput = "structured_output", maxAttempts = "max_attempts"
            }
        }

        public var models: [String: Model] = [:]
        /// The name of the model under `models` that writes summaries.
        public var summaryModel: String?
        /// The name of the model under `models` that reads plain-words requests.
        public var intentModel: String?
        /// After this long the template summary is posted instead (and an intent is given up).
        public var timeoutMilliseconds = 20_000
        /// Whether summaries appear as they are written, where the platform can edit messages.
        public var stream = true
        /// The shortest time between two partial summaries.
        public var streamIntervalMilliseconds = 1_000
        /// How long a proposed command waits for Run or Cancel.
        public var proposalMinutes = 15

        enum CodingKeys: String, CodingKey, CaseIterable {
            case models, stream
            case summaryModel = "summary_model", intentModel = "intent_model", timeoutMilliseconds = "timeout_ms"
            case streamIntervalMilliseconds = "stream_interval_ms", proposalMinutes = "proposal_minutes"
        }
        init() {}
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            models = try c.decodeIfPresent([String: Model].self, forKey: .models) ?? models
            summaryModel = try c.decodeIfPresent(String.self, forKey: .summaryModel)
            intentModel = try c.decodeIfPresent(String.self, forKey: .intentModel)
            timeoutMilliseconds = try c.decodeIfPresent(Int.self, forKey: .timeoutMilliseconds) ?? timeoutMilliseconds
            stream = try c.decodeIfPresent(Bool.self, forKey: .stream) ?? stream
            streamIntervalMilliseconds = try c.decodeIfPresent(Int.self, forKey: .streamIntervalMilliseconds) ?? streamIntervalMilliseconds
            proposalMinutes = try c.decodeIfPresent(Int.self, forKey: .proposalMinutes) ?? proposalMinutes
        }
    }

    public var bot = Bot()
    /// The chat platforms' sections (`slack:`, `discord:` …), by section key, as the registry reads them.
    public var platforms: [String: any PlatformSettings] = [:]
    public var llm = LLMSection()
    public var server = Server()
    public var store = StoreSection()
    public var workers = Workers()
    public var sandbox = Sandbox()
    public var webchat = WebChat()
    /// The folder of command files, relative to the configuration file.
    public var commands = "commands"
    /// Members of this role may release anyone's lock.
    public var adminRole = "admin"
    public var roles = RoleDirectory()
    /// One person's ids across platforms (`alice: [slack:U024BE7LH, webchat:alice]`): votes and
    /// self-approval checks treat them as one person.
    public var identities = IdentityLinks()
    public var schedules: [ScheduleEntry] = []
    /// Named backends beyond the built-in sandbox.
    public var backends: [String: BackendSection] = [:]

    /// What `${…}` references in the file resolved to (values of 8 characters or more): each is kept
    /// out of chat and model prompts wherever it appears, also on its own (a token from a header value).
    public var expandedSecrets: [String] = []

    /// Every secret in the configuration: kept out of chat, logs and model prompts.
    public var secrets: [String] {
        ([webchat.legacyToken, store.postgres?.password] + llm.models.values.map(\.apiKey)).compactMap { $0 } + platforms.values.flatMap(\.secrets)
            + backends.values.flatMap { Array($0.headers.values) } + expandedSecrets
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case bot, server, store, workers, sandbox, webchat, commands, roles, schedules, llm, backends, identities
        case adminRole = "admin_role"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bot = try c.decodeIfPresent(Bot.self, forKey: .bot) ?? bot
        llm = try c.decodeIfPresent(LLMSection.self, forKey: .llm) ?? llm
        server = try c.decodeIfPresent(Server.self, forKey: .server) ?? server
        store = try c.decodeIfPresent(StoreSection.self, forKey: .store) ?? store
        workers = try c.decodeIfPresent(Workers.self, forKey: .workers) ?? workers
        sandbox = try c.decodeIfPresent(Sandbox.self, forKey: .sandbox) ?? sandbox
        webchat = try c.decodeIfPresent(WebChat.self, forKey: .webchat) ?? webchat
        commands = try c.decodeIfPresent(String.self, forKey: .commands) ?? commands
        adminRole = try c.decodeIfPresent(String.self, forKey: .adminRole) ?? adminRole
        roles = try c.decodeIfPresent(RoleDirectory.self, forKey: .roles) ?? roles
        identities = try c.decodeIfPresent(IdentityLinks.self, forKey: .identities) ?? identities
        schedules = try c.decodeIfPresent([ScheduleEntry].self, forKey: .schedules) ?? schedules
        backends = try c.decodeIfPresent([String: BackendSection].self, forKey: .backends) ?? backends
        platforms = try PlatformRegistry.decodeSections(from: decoder)
    }

    /// A platform's section, when the file has one.
    public func platform<Settings: PlatformSettings>(_ type: Settings.Type) -> Settings? {
        platforms[Settings.section] as? Settings
    }
}

/// One entry under `schedules:`: run a command as a named user on a cron schedule, and post the
/// result to a channel.
public struct ScheduleEntry: Decodable, Sendable, Equatable {
    public var name: String
    /// Five cron fields, read in `time_zone`.
    public var cron: String
    public var timeZone: String
    /// The command as typed, such as `status --env prod`.
    public var command: String
    /// The user it runs as; their roles apply.
    public var runAs: String
    public var platform: String
    public var channel: String
    /// Post only when the result differs from the last post of this entry.
    public var onlyOnChange: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, cron, command, platform, channel
        case timeZone = "time_zone", runAs = "as", onlyOnChange = "only_on_change"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        cron = try c.decode(String.self, forKey: .cron)
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? "UTC"
        command = try c.decode(String.self, forKey: .command)
        runAs = try c.decode(String.self, forKey: .runAs)
        platform = try c.decodeIfPresent(String.self, forKey: .platform) ?? "webchat"
        channel = try c.decode(String.self, forKey: .channel)
        onlyOnChange = try c.decodeIfPresent(Bool.self, forKey: .onlyOnChange) ?? false
    }
}
