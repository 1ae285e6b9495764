import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import ChatPlatforms
import Foundation
import Logging
import OpsBackends

/// A bot wired like `chatops serve`, on a fresh SQLite store, with the repository's `commands/`
/// and a recording chat platform; time is set by the test.
final class TestBot: @unchecked Sendable {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let directory: URL
    let store: SQLiteStore
    let platform = RecordingPlatform()
    let engine: Engine
    let worker: JobWorkerService
    let clock: TestClock

    static let roles = RoleDirectory(roles: [
        "ml-engineer": .init(users: ["alice", "dave"]),
        "ml-lead": .init(users: ["bob", "carol"]),
        "admin": .init(users: ["carol"]),
    ])

    init(
        quietEntries: Set<String> = [], clock: TestClock = TestClock(), summarizer: (any Summarizer)? = nil,
        interpreter: ((CommandParser) -> any IntentInterpreter)? = nil, roles: RoleDirectory = TestBot.roles,
        identities: IdentityLinks = IdentityLinks(),
        backend: (any Backend) -> any Backend = { $0 }, lease: TimeInterval = 30, backendLimits: [String: BackendLimits] = [:],
        commands: URL? = nil, configuration: String = "", otherBackends: (SQLiteStore) -> [any Backend] = { _ in [] }
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("bot.sqlite").path)
        let loaded = try Self.loadRepositoryCommands(in: directory, commands: commands, configuration: configuration)
        self.clock = clock
        let logger = Logger(label: "test")
        let parser = CommandParser(registry: loaded.registry)
        engine = Engine(
            store: store, registry: loaded.registry, parser: parser, roles: roles, identities: identities,
            adminRole: "admin", platforms: [platform],
            backends: [backend(SandboxBackend(store: store, stepDelay: .zero))] + otherBackends(store),
            summarizer: summarizer ?? TemplateSummarizer(), interpreter: interpreter?(parser),
            quietEntries: quietEntries, backendLimits: backendLimits, logger: logger, now: { clock.now })
        worker = JobWorkerService(
            engine: engine, settings: .init(workers: 1, lease: lease, poll: .milliseconds(10), maxAttempts: 3, retryDelay: { _ in 0 }),
            identity: "test",
            logger: logger)
    }

    /// Loads the repository's command files (or those in `commands`) through the real loader.
    /// - Parameter configuration: more of `chatops.yaml` (the backends `otherBackends` makes, for the commands' validation).
    static func loadRepositoryCommands(in directory: URL, commands: URL? = nil, configuration: String = "") throws -> LoadedConfiguration {
        let config = directory.appendingPathComponent("chatops.yaml")
        let yaml = """
            commands: \((commands ?? repositoryRoot.appendingPathComponent("commands")).path)
            roles:
              ml-engineer: {users: [alice, dave]}
              ml-lead: {users: [bob, carol]}
              admin: {users: [carol]}
            \(configuration)
            """
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        return try ConfigurationLoader.load(path: config.path, environment: [:])
    }

    static func person(_ id: String, platform: String = "test") -> Principal { Principal(platform: platform, userID: id) }

    /// Sends a message as `user` (in `thread` when given) and runs every job it causes.
    @discardableResult
    func say(_ text: String, as user: String, thread: String? = nil, id: String = UUID().uuidString) async throws -> Inbound {
        let inbound = Inbound(
            kind: .message(text: text), sender: Self.person(user), conversation: Conversation(platform: "test", channel: "ops", thread: thread),
            replyThread: thread == nil ? "msg-\(id)" : nil, dedupeKey: "test:\(id)", receivedAt: clock.now)
        _ = try await store.enqueue(NewJob(dedupeKey: inbound.dedupeKey, payload: .inbound(inbound), availableAt: clock.now))
        await drain()
        return inbound
    }

    /// Clicks a button as `user`.
    /// A click, in `thread`, on the message `message` when the platform says which one was clicked.
    func click(_ button: ButtonAction, as user: String, thread: String, on message: String? = nil, id: String = UUID().uuidString) async throws {
        let inbound = Inbound(
            kind: .button(button), sender: Self.person(user), conversation: Conversation(platform: "test", channel: "ops", thread: thread),
            replyThread: message, dedupeKey: "click:\(id)", receivedAt: clock.now)
        _ = try await store.enqueue(NewJob(dedupeKey: inbound.dedupeKey, payload: .inbound(inbound), availableAt: clock.now))
        await drain()
    }

    func drain() async {
        while await worker.runOne(worker: "test") {}
    }

    /// The most recent approval request the bot posted (with its buttons).
    func lastApprovalRequest() async -> Reply? {
        await platform.replies.last { !$0.buttons.isEmpty }
    }

    /// Revision of a sandbox deployment: how many changes were applied to it.
    func revision(of model: String, env: String) async throws -> Int? {
        guard let data = try await store.state(namespace: "sandbox.fleet"),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let deployments = object["deployments"] as? [String: [String: Any]]
        else { return nil }
        return deployments["\(model)@\(env)"]?["revision"] as? Int
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_795_000_000)

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    func set(_ date: Date) {
        lock.withLock { current = date }
    }
}
