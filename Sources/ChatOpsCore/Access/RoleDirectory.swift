import Foundation

/// Who holds which role, from `roles:` in `chatops.yaml`.
///
/// Members are platform user ids, either qualified (`slack:U024BE7LH`) or bare (`alice`, any
/// platform), and platform group ids, always qualified (`slack:S0614TZR7`): a group counts only
/// when the platform that names it asserted the membership.
public struct RoleDirectory: Codable, Sendable, Equatable {
    public struct Members: Codable, Sendable, Equatable {
        public var users: [String]
        public var groups: [String]

        public init(users: [String] = [], groups: [String] = []) {
            self.users = users
            self.groups = groups
        }

        public enum CodingKeys: String, CodingKey, CaseIterable { case users, groups }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            users = try container.decodeIfPresent([String].self, forKey: .users) ?? []
            groups = try container.decodeIfPresent([String].self, forKey: .groups) ?? []
        }
    }

    public var roles: [String: Members]

    public init(roles: [String: Members] = [:]) {
        self.roles = roles
    }

    public init(from decoder: any Decoder) throws {
        roles = try decoder.singleValueContainer().decode([String: Members].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(roles)
    }

    /// - Returns: every role the person holds.
    public func roles(of principal: Principal) -> Set<String> {
        let ids = [principal.userID, principal.qualifiedID]
        let groups = Set(principal.groups.map { "\(principal.platform):\($0)" })
        return Set(
            roles.compactMap { role, members in
                members.users.contains(where: ids.contains) || members.groups.contains(where: groups.contains) ? role : nil
            })
    }
}

extension RoleDirectory {
    /// Group entries that name no platform: they could be matched from any platform, so they are refused.
    public func unqualifiedGroups() -> [(role: String, group: String)] {
        roles.sorted { $0.key < $1.key }.flatMap { role, members in
            members.groups.filter { !$0.contains(":") }.map { (role, $0) }
        }
    }
}

/// Role checks shared by commands, approvals and locks.
public enum AccessRules {
    /// `"*"` in an allow list admits everyone.
    public static let everyone = "*"

    /// - Returns: whether someone with these roles passes the allow list.
    public static func isAllowed(roles: Set<String>, allow: [String]) -> Bool {
        allow.contains(everyone) || !roles.isDisjoint(with: allow)
    }
}
