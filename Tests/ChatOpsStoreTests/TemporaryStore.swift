import ChatOpsCore
import ChatOpsStore
import Foundation

/// A fresh SQLite store in its own temporary folder, removed when the test lets go of it.
final class TemporaryStore: Sendable {
    let directory: URL
    let path: String
    let store: SQLiteStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-store-\(UUID().uuidString)")
        path = directory.appendingPathComponent("nested/bot.sqlite").path
        store = try SQLiteStore(path: path)
    }

    /// A second store on the same file, as after a restart.
    func reopen() throws -> SQLiteStore {
        try SQLiteStore(path: path)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
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
