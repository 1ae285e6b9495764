import ChatOpsCore
import Foundation
import Logging
import SlackAPIDouble
import Testing

@testable import ChatPlatforms

/// A clock the test moves by hand.
private final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_718_000_000)

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }
}

@Suite("Slack user groups, read from the Web API double")
struct SlackUserGroupsTests {
    /// Leads are a Slack user group; engineers are a Slack user group and a Discord role, which Slack is never asked about.
    static let roles = RoleDirectory(roles: [
        "ml-lead": .init(groups: ["slack:S_LEADS"]),
        "ml-engineer": .init(groups: ["slack:S_ENG", "discord:112233445566778899"]),
    ])

    private func lookup(_ double: SlackAPIDouble, clock: ManualClock = ManualClock(), maxAttempts: Int = 4) -> SlackUserGroups {
        let client = SlackWebAPIClient(
            settings: .init(baseURL: double.baseURL, token: double.token, channelInterval: .milliseconds(1), maxAttempts: maxAttempts),
            logger: Logger(label: "test"))
        return SlackUserGroups(client: client, roles: Self.roles, lifetime: 60, now: { clock.now })
    }

    @Test func aMemberOfAGroupNamedInRolesGetsItAndOnlySlackGroupsAreAskedAbout() async throws {
        try await SlackAPIDouble.run { double in
            double.setUserGroup("S_LEADS", users: ["U_BOB", "U_DANA"])
            double.setUserGroup("S_ENG", users: ["U_ALICE"])
            let found = try await lookup(double).groups(of: "U_BOB")
            #expect(found == ["S_LEADS"])
            #expect(Self.roles.roles(of: Principal(platform: "slack", userID: "U_BOB", groups: found)) == ["ml-lead"])
            let calls = double.calls("usergroups.users.list")
            #expect(calls.compactMap { $0.body["usergroup"]?.string }.sorted() == ["S_ENG", "S_LEADS"], "the Discord role is not Slack's to answer")
            #expect(calls.allSatisfy { $0.authorization == "Bearer \(double.token)" })
        }
    }

    @Test func membersAreRememberedForTheLifetimeAndAskedForAgainAfterIt() async throws {
        try await SlackAPIDouble.run { double in
            double.setUserGroup("S_LEADS", users: ["U_BOB"])
            double.setUserGroup("S_ENG", users: [])
            let clock = ManualClock()
            let groups = lookup(double, clock: clock)
            let found1 = try await groups.groups(of: "U_BOB")
            #expect(found1 == ["S_LEADS"])
            let firstRound = double.calls("usergroups.users.list").count
            #expect(firstRound == 2, "one call per group named in roles")

            // Alice joins the leads; within the lifetime the remembered members still answer.
            double.setUserGroup("S_LEADS", users: ["U_BOB", "U_ALICE"])
            clock.advance(by: 59)
            let found2 = try await groups.groups(of: "U_ALICE")
            #expect(found2 == [])
            let found3 = try await groups.groups(of: "U_BOB")
            #expect(found3 == ["S_LEADS"])
            #expect(double.calls("usergroups.users.list").count == firstRound, "no new call within the lifetime")

            clock.advance(by: 2)
            let found4 = try await groups.groups(of: "U_ALICE")
            #expect(found4 == ["S_LEADS"], "after it, the group's members as they are now")
            #expect(double.calls("usergroups.users.list").count == 2 * firstRound)
        }
    }

    @Test func aSlackThatKeepsFailingThrowsSoNoGroupRoleIsGranted() async throws {
        try await SlackAPIDouble.run { double in
            double.setUserGroup("S_LEADS", users: ["U_BOB"])
            double.setUserGroup("S_ENG", users: [])
            double.failNext("usergroups.users.list", times: 2)
            let error = await #expect(throws: SlackAPIError.self) {
                try await lookup(double, maxAttempts: 2).groups(of: "U_BOB")
            }
            #expect(error?.code == "http_503")
            #expect(double.calls("usergroups.users.list").count == 2, "retried, then given up")
            // The engine then keeps the groups the request came with, none for Slack: Bob is no lead through S_LEADS.
            #expect(Self.roles.roles(of: Principal(platform: "slack", userID: "U_BOB")).isEmpty)
        }
    }

    @Test func aGroupSlackDoesNotKnowIsAnErrorNotAnEmptyGroup() async throws {
        try await SlackAPIDouble.run { double in
            double.setUserGroup("S_LEADS", users: ["U_BOB"])
            let error = await #expect(throws: SlackAPIError.self) {
                try await lookup(double).groups(of: "U_BOB")
            }
            #expect(error?.code == "no_such_subteam", "S_ENG, named in roles, is not a group in this workspace")
            #expect(double.calls("usergroups.users.list").count == 1, "Slack's refusal is not retried")
        }
    }
}
