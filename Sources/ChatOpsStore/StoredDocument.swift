import ChatOpsCore

/// A value kept as one JSON document per row (approvals, proposals), one per job, with the fields
/// that queries filter on copied into columns of their own. Both stores take the columns from here.
protocol StoredDocument: Codable, Sendable {
    /// The table that keeps it.
    static var table: String { get }
    /// The job it belongs to; a second one for the same job is not stored.
    var jobID: String { get }
    /// The column copies by column name, besides `job_id` and `body`.
    var columnCopies: [String: ColumnCopy] { get }
}

/// One field's copy in a column.
enum ColumnCopy: Sendable {
    case text(String?)
    /// A time as seconds since 1970.
    case time(Double)
}

extension ApprovalRequest: StoredDocument {
    static var table: String { "approvals" }
    var columnCopies: [String: ColumnCopy] {
        [
            "id": .text(id), "state": .text(state.rawValue), "platform": .text(conversation.platform), "channel": .text(conversation.channel),
            "thread": .text(conversation.thread), "expires_at": .time(expiresAt.storeValue), "created_at": .time(createdAt.storeValue),
        ]
    }
}

extension Proposal: StoredDocument {
    static var table: String { "proposals" }
    var columnCopies: [String: ColumnCopy] { ["id": .text(id), "state": .text(state.rawValue), "created_at": .time(createdAt.storeValue)] }
}
