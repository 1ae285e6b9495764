import ChatOpsCore
import ChatOpsStore
import Foundation
import Logging
import PostgresFixtures
import Testing

/// The stores every conformance test runs against: one suite, both stores.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// What the suite asks of a store beyond `Store`: raw SQL, for tests that tamper with it on purpose.
protocol TestableStore: Store {
    func executeForTesting(_ sql: String) async throws
}

extension SQLiteStore: TestableStore {}
extension PostgresStore: TestableStore {}

/// A fresh, empty store of one kind: SQLite in its own temporary folder, or PostgreSQL in its own
/// database on the server `scripts/test` started. `reopen()` opens a second store on the same data,
/// as after a restart; `close()` stops every connection and removes the data.
final class TemporaryStore: @unchecked Sendable {
    let kind: StoreKind
    let store: any TestableStore
    private let location: String
    private let database: PostgresTestServer.Database?
    private var running: [Task<Void, Never>]

    private init(kind: StoreKind) async throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-store-\(UUID().uuidString)")
            location = directory.appendingPathComponent("nested/bot.sqlite").path
            database = nil
        case .postgres:
            let database = try await PostgresTestServer.createDatabase()
            location = database.url
            self.database = database
        }
        var tasks: [Task<Void, Never>] = []
        store = try await Self.open(kind, at: location, keeping: &tasks)
        running = tasks
    }

    /// Opens a store of `kind` on the data at `location`; a PostgreSQL store's connections run in a
    /// task added to `tasks`.
    private static func open(_ kind: StoreKind, at location: String, keeping tasks: inout [Task<Void, Never>]) async throws -> any TestableStore {
        switch kind {
        case .sqlite:
            return try SQLiteStore(path: location)
        case .postgres:
            let store = PostgresStore(
                settings: try PostgresSettings(url: location, password: nil, poolSize: 4, connectTimeout: .seconds(5), tls: .disable),
                logger: Logger(label: "store-test"))
            tasks.append(Task { await store.run() })
            try await store.migrate()
            return store
        }
    }

    /// A second store on the same data, as after a restart.
    func reopen() async throws -> any TestableStore { try await Self.open(kind, at: location, keeping: &running) }

    /// Stops the connections of the first store (`store`), as when its replica stops.
    func stopFirst() async {
        guard let first = running.first else { return }
        first.cancel()
        await first.value
    }

    func close() async {
        for task in running { task.cancel() }
        for task in running { await task.value }
        if let database { try? await PostgresTestServer.dropDatabase(database) }
        if kind == .sqlite {
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: location).deletingLastPathComponent().deletingLastPathComponent())
        }
    }

    /// Runs `body` with a fresh store of `kind`, and removes it afterwards whatever happened.
    static func with(_ kind: StoreKind, _ body: (TemporaryStore) async throws -> Void) async throws {
        let temporary = try await TemporaryStore(kind: kind)
        do {
            try await body(temporary)
            await temporary.close()
        } catch {
            await temporary.close()
            throw error
        }
    }
}

/// Runs `body` with a fresh, empty store of `kind`.
func withStore(_ kind: StoreKind, _ body: (any TestableStore) async throws -> Void) async throws {
    try await TemporaryStore.with(kind) { try await body($0.store) }
}

enum Sample {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func job(_ key: String, id: String? = nil, availableAt: Date = now) -> NewJob {
        NewJob(id: id ?? "job-\(key)", dedupeKey: key, payload: .runApproved(approvalID: "a-\(key)"), availableAt: availableAt)
    }

    static func person(_ id: String) -> Principal { Principal(platform: "test", userID: id) }

    static let invocation = Invocation(
        command: "deploy", arguments: ["model": .string("fraud"), "version": .string("v12"), "env": .string("prod")])

    static func approval(
        id: String = "k7q2m9", jobID: String = "job-1", thread: String? = "t1", count: Int = 1, expires: String = "1h",
        createdAt: Date = now
    ) -> ApprovalRequest {
        ApprovalRequest(
            id: id, jobID: jobID, invocation: invocation, requester: person("alice"),
            conversation: Conversation(platform: "test", channel: "ops", thread: thread),
            policy: ApprovalPolicy(approvers: ["ml-lead"], count: count, expires: expires), createdAt: createdAt,
            lockTarget: "fraud@prod")
    }

    static func lock(_ target: String, owner: String, by user: String = "alice") -> LockHolder {
        LockHolder(target: target, ownerID: owner, holder: person(user), command: "deploy", acquiredAt: now)
    }
}
