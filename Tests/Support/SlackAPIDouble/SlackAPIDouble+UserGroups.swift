import ChatOpsCore
import Foundation

/// The members of a user group, as docs.slack.dev/reference/methods/usergroups.users.list describes
/// it (scope `usergroups:read`): the form-encoded argument `usergroup`, the group's id (`S0614TZR7`);
/// the answer `{"ok": true, "users": ["U060R4BJ4", …]}`; `no_such_subteam` for an id that names no
/// group. `include_disabled` and `team_id` are accepted and change nothing here.
extension SlackAPIDouble {
    /// Makes `users` the members of the user group `id`, replacing those it had.
    public func setUserGroup(_ id: String, users: [String]) {
        lock.withLock { userGroups[id] = users }
    }

    func usersInGroup(_ arguments: JSONValue, form: Bool) -> JSONValue {
        // A reading method: like conversations.history, its arguments come form-encoded.
        guard form, let id = arguments["usergroup"]?.string, !id.isEmpty else { return ["ok": false, "error": "invalid_arguments"] }
        guard let users = lock.withLock({ userGroups[id] }) else { return ["ok": false, "error": "no_such_subteam"] }
        return ["ok": true, "users": .array(users.map { JSONValue.string($0) })]
    }
}
