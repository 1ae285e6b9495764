import ChatOpsCore
import Foundation
import Testing

@Suite("Decision and access rules")
struct DecisionTests {
    @Test func someoneWithoutARoleIsDeniedWithAReason() throws {
        let invocation = try Fixtures.invocation("deploy fraud v12")
        let decision = Decision.make(spec: Fixtures.deploy, invocation: invocation, roles: ["viewer"])
        guard case .denied(let reason) = decision else {
            Issue.record("expected denied, got \(decision)")
            return
        }
        #expect(reason.contains("ml-engineer or ml-lead"))
        #expect(reason.contains("viewer"))
        #expect(decision.label == "denied")
    }

    @Test func noRolesAtAllIsSaidPlainly() throws {
        let decision = Decision.make(spec: Fixtures.deploy, invocation: try Fixtures.invocation("deploy fraud v12"), roles: [])
        guard case .denied(let reason) = decision else {
            Issue.record("expected denied, got \(decision)")
            return
        }
        #expect(reason.contains("no roles"))
    }

    @Test func stagingDeployRunsAtOnce() throws {
        let invocation = try Fixtures.invocation("deploy fraud v12")
        #expect(Decision.make(spec: Fixtures.deploy, invocation: invocation, roles: ["ml-engineer"]) == .allowed)
    }

    @Test func prodDeployNeedsApproval() throws {
        let invocation = try Fixtures.invocation("deploy fraud v12 --env prod")
        let decision = Decision.make(spec: Fixtures.deploy, invocation: invocation, roles: ["ml-engineer"])
        #expect(decision == .needsApproval(Fixtures.deploy.approval!))
        #expect(decision.label == "needs_approval")
    }

    @Test func accessIsCheckedBeforeApproval() throws {
        let invocation = try Fixtures.invocation("deploy fraud v12 --env prod")
        #expect(Decision.make(spec: Fixtures.deploy, invocation: invocation, roles: []).label == "denied")
    }

    @Test func everyoneMayRunAStarCommand() throws {
        #expect(Decision.make(spec: Fixtures.status, invocation: try Fixtures.invocation("status"), roles: []) == .allowed)
    }

    @Test func policyWithoutWhenAlwaysApplies() {
        #expect(ApprovalPolicy(approvers: ["ml-lead"]).applies(to: [:]))
    }

    @Test func whenNeedsEveryConditionAndAcceptsAnyListedValue() {
        let policy = ApprovalPolicy(when: ["env": OneOrMany(["prod", "eu-prod"]), "model": "fraud"], approvers: ["ml-lead"])
        #expect(policy.applies(to: ["env": .string("eu-prod"), "model": .string("fraud")]))
        #expect(policy.applies(to: ["env": .string("PROD"), "model": .string("fraud")]))
        #expect(!policy.applies(to: ["env": .string("prod"), "model": .string("churn")]))
        #expect(!policy.applies(to: ["env": .string("prod")]), "a condition on an absent argument does not hold")
    }

    @Test func expirySecondsFallsBackToOneHour() {
        #expect(ApprovalPolicy(approvers: [], expires: "2h").expirySeconds == 7200)
        #expect(ApprovalPolicy(approvers: [], expires: "soon").expirySeconds == 3600)
    }

    @Test func roleDirectoryMatchesBareQualifiedAndGroupMembers() {
        let directory = RoleDirectory(roles: [
            "ml-lead": .init(users: ["bob", "slack:U42"]),
            "ml-engineer": .init(groups: ["slack:S1"]),
            "viewer": .init(groups: ["G7"]),
        ])
        #expect(directory.roles(of: Principal(platform: "webchat", userID: "bob")) == ["ml-lead"])
        #expect(directory.roles(of: Principal(platform: "slack", userID: "U42")) == ["ml-lead"])
        #expect(directory.roles(of: Principal(platform: "matrix", userID: "U42")).isEmpty)
        #expect(
            directory.roles(of: Principal(platform: "slack", userID: "U9", groups: ["S1", "G7"])) == ["ml-engineer"],
            "a group without its platform never matches")
        #expect(
            directory.roles(of: Principal(platform: "teams", userID: "U9", groups: ["S1"])).isEmpty,
            "a Slack group asserted by another platform does not count")
        #expect(directory.roles(of: Principal(platform: "webchat", userID: "eve", groups: ["slack:S1"])).isEmpty, "nor one spelled with the platform")
        #expect(directory.unqualifiedGroups().map(\.group) == ["G7"], "validate names it")
    }
}

@Suite("Decision: edge cases")
struct DecisionEdgeCaseTests {
    /// `when` values pass validation through `parseValue` (so `100%`, `60m` and `yes` are accepted),
    /// but `applies(to:)` compares them with `typedForm` (`100`, `1h`, `true`), so they never match.
    @Test func whenValuesAreComparedAsTheyWereValidated() {
        let policy = ApprovalPolicy(
            when: ["canary": "100%", "window": "60m", "force": "yes"], approvers: ["ml-lead"])
        #expect(policy.applies(to: ["canary": .percent(100), "window": .duration(seconds: 3600), "force": .boolean(true)]))
        #expect(ApprovalPolicy(when: ["canary": "100"], approvers: []).applies(to: ["canary": .percent(100)]))
    }
}

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    @Test func opensAfterTheThresholdProbesAfterTheWaitAndClosesOnSuccess() {
        var breaker = CircuitBreaker(threshold: 3, openFor: 60)
        let start = Date(timeIntervalSince1970: 1_000)
        for _ in 0..<2 {
            #expect(breaker.admit(now: start) == .allowed)
            breaker.record(available: false, now: start)
        }
        breaker.record(available: true, now: start)
        #expect(breaker.consecutiveFailures == 0, "a success resets the count")
        for _ in 0..<3 { breaker.record(available: false, now: start) }
        #expect(breaker.admit(now: start.addingTimeInterval(30)) == .refused(until: start.addingTimeInterval(60), failures: 3))
        #expect(breaker.admit(now: start.addingTimeInterval(61)) == .allowed, "one probe after the wait")
        #expect(breaker.admit(now: start.addingTimeInterval(61)) != .allowed, "and only one")
        breaker.record(available: false, now: start.addingTimeInterval(62))
        #expect(
            breaker.admit(now: start.addingTimeInterval(100)) == .refused(until: start.addingTimeInterval(122), failures: 4),
            "a failed probe opens it again")
        #expect(breaker.admit(now: start.addingTimeInterval(123)) == .allowed)
        breaker.abandonProbe()
        #expect(breaker.admit(now: start.addingTimeInterval(123)) == .allowed, "a probe that was cancelled lets another probe")
        breaker.record(available: true, now: start.addingTimeInterval(123))
        #expect(breaker.admit(now: start.addingTimeInterval(123)) == .allowed)
    }
}
