import ChatOpsCore
import Foundation

/// The Slack user groups a person belongs to, among the groups `roles:` names (`slack:S0614TZR7`),
/// read with `usergroups.users.list` (api.slack.com/methods/usergroups.users.list, scope
/// `usergroups:read`) and remembered for a short time, so a role granted to a group follows the
/// group's membership within that time without a call per command.
actor SlackUserGroups {
    private let client: SlackWebAPIClient
    /// The groups worth asking about: those a role is granted to.
    private let groups: [String]
    private let lifetime: TimeInterval
    private let now: @Sendable () -> Date
    private var members: [String: (users: Set<String>, readAt: Date)] = [:]

    init(client: SlackWebAPIClient, roles: RoleDirectory, lifetime: TimeInterval, now: @escaping @Sendable () -> Date = Date.init) {
        self.client = client
        let prefix = SlackInboundDecoder.platform + ":"
        self.groups = Set(roles.roles.values.flatMap(\.groups)).filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
        self.lifetime = lifetime
        self.now = now
    }

    /// The ids of the configured groups `userID` is a member of (bare: roles qualify them with the platform).
    /// - Throws: `SlackAPIError` when Slack cannot be asked (the caller decides without the groups).
    func groups(of userID: String) async throws -> [String] {
        var found: [String] = []
        for group in groups where try await users(of: group).contains(userID) {
            found.append(group)
        }
        return found
    }

    private func users(of group: String) async throws -> Set<String> {
        if let cached = members[group], now().timeIntervalSince(cached.readAt) < lifetime { return cached.users }
        let response = try await client.read("usergroups.users.list", ["usergroup": group])
        let users = Set(response["users"]?.array?.compactMap(\.string) ?? [])
        members[group] = (users, now())
        return users
    }
}
