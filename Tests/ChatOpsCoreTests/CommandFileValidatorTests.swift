import ChatOpsCore
import Foundation
import Testing

@Suite("CommandFileValidator: issues carry their line")
struct CommandFileValidatorTests {
    let validator = CommandFileValidator(
        knownRoles: ["ml-engineer", "ml-lead"], backendOperations: ["sandbox": ["deploy", "status"]],
        prompts: ["prompts/deploy.md": "Summarise {{headline}}.", "prompts/broken.md": "{{#open}} never closed"])

    func issues(_ text: String) throws -> [ValidationIssue] {
        validator.issues(in: try CommandFile(file: "commands/deploy.yaml", text: text))
    }

    /// The issue whose message contains `fragment`; records a failure when there is not exactly one.
    func issue(_ fragment: String, in issues: [ValidationIssue], sourceLocation: SourceLocation = #_sourceLocation) throws -> ValidationIssue {
        let matching = issues.filter { $0.message.contains(fragment) }
        #expect(matching.count == 1, "\(matching.count) issues mention `\(fragment)`: \(issues)", sourceLocation: sourceLocation)
        return try #require(matching.first, sourceLocation: sourceLocation)
    }

    @Test func aCleanFileHasNoIssues() throws {
        let text = """
            name: deploy
            summary: Deploy a model
            args:
              - {name: model, type: string, pattern: "^[a-z]+$"}
              - {name: env, type: enum, values: [staging, prod], default: staging}
              - {name: canary, type: percent, optional: true}
            allow: [ml-engineer, ml-lead]
            approval:
              when: {env: prod}
              approvers: [ml-lead]
              expires: 2h
            lock: "{{model}}@{{env}}"
            action:
              backend: sandbox
              operation: deploy
              model: "{{model}}"
              canary: "{{#canary}}{{canary}}{{/canary}}"
            summary_prompt: prompts/deploy.md
            """
        #expect(try issues(text) == [])
    }

    @Test func aFreeTextArgumentUsedInTheActionNeedsAPattern() throws {
        let text = """
            name: deploy
            summary: Deploy a model
            args:
              - {name: model, type: string}
              - {name: note, type: string, optional: true}
            allow: [ml-engineer]
            action:
              backend: sandbox
              operation: deploy
              model: "{{model}}"
            """
        let found = try issue("string argument `model` is used in the action; give it a `pattern`", in: try issues(text))
        #expect(found.line == 4)
        #expect(!(try issues(text)).contains { $0.message.contains("`note`") }, "an argument the action does not use needs none")
    }

    @Test func eachMistakeIsReportedOnItsLine() throws {
        let text = """
            name: deploy
            summary: Deploy a model
            args:
              - {name: model, type: string, pattern: "^[a-z]+$"}
              - {name: env, type: enum, values: [staging, prod], default: qa}
            allow: [ml-engineer, ml-leed]
            approval:
              when: {region: eu}
              approvers: [ml-lead]
              expires: soon
            lock: "{{model}}@{{env}}"
            action:
              backend: sandbx
              operation: deploy
              model: "{{model}}"
              version: "{{version}}"
            summary_prompt: prompts/missing.md
            """
        let found = try issues(text)
        #expect(found.count == 7, "\(found)")
        #expect(found.allSatisfy { $0.file == "commands/deploy.yaml" })
        #expect(try issue("default of `env`", in: found).line == 5)
        let role = try issue("ml-leed", in: found)
        #expect(role.line == 6)
        #expect(role.message.contains("did you mean ml-lead"))
        #expect(try issue("`region`", in: found).line == 8)
        #expect(try issue("`soon` is not a duration", in: found).line == 10)
        let backend = try issue("unknown backend", in: found)
        #expect(backend.line == 13)
        #expect(backend.message.contains("did you mean sandbox"))
        #expect(try issue("uses `version`", in: found).line == 16)
        #expect(try issue("prompts/missing.md", in: found).line == 17)
        #expect(try issue("ml-leed", in: found).description == "commands/deploy.yaml:6: " + role.message)
    }

    @Test func blockStyleApprovalPointsAtTheValues() throws {
        let text = """
            # A comment first, so line numbers are not trivially 1-based from the name.
            name: deploy
            summary: Deploy a model
            args:
              - name: env
                type: enum
                values: [staging, prod]
            allow: ["*"]
            approval:
              when:
                env: qa
              approvers:
                - ml-lead
                - ml-boss
              count: 0
            action: {backend: sandbox, operation: deploy}
            """
        let found = try issues(text)
        #expect(found.count == 3, "\(found)")
        #expect(try issue("`when: {env: qa}`", in: found).line == 11)
        #expect(try issue("ml-boss", in: found).line == 13)
        #expect(try issue("count must be at least 1", in: found).line == 15)
    }

    @Test func argumentDeclarationProblems() throws {
        let text = """
            name: Deploy_Model
            summary: Deploy a model
            args:
              - {name: model, type: string, pattern: "([a-z]"}
              - {name: tier, type: enum}
              - {name: replicas, type: integer, min: 5, max: 1}
              - {name: note, type: string, optional: true, positional: true}
              - {name: version, type: string}
            allow: ["*"]
            action: {backend: sandbox, operation: rollback}
            """
        let found = try issues(text)
        #expect(found.count == 6, "\(found)")
        #expect(try issue("command name", in: found).line == 1)
        #expect(try issue("not a valid regular expression", in: found).line == 4)
        #expect(try issue("needs `values`", in: found).line == 5)
        #expect(try issue("min 5 is above max 1", in: found).line == 6)
        #expect(try issue("`version` comes after an optional one", in: found).line == 8)
        let operation = try issue("no operation `rollback`", in: found)
        #expect(operation.line == 10)
        #expect(operation.message.contains("deploy, status"))
    }

    @Test func aDuplicateArgumentIsReportedAtItsSecondDeclaration() throws {
        let text = """
            name: deploy
            summary: Deploy a model
            args:
              - {name: model, type: string, pattern: "([a-z]"}
              - {name: model, type: string}
            allow: ["*"]
            action: {backend: sandbox, operation: deploy}
            """
        let found = try issues(text)
        #expect(try issue("declared twice", in: found).line == 5)
        let pattern = try #require(found.first { $0.message.contains("not a valid regular expression") })
        #expect(pattern.line == 4)
    }

    @Test func brokenTemplatesAndPrompts() throws {
        let text = """
            name: deploy
            summary: Deploy a model
            args:
              - {name: model, type: string}
            allow: ["*"]
            lock: "{{#model}}"
            action: {backend: sandbox, operation: deploy}
            summary_prompt: prompts/broken.md
            """
        let found = try issues(text)
        #expect(found.count == 2, "\(found)")
        #expect(found.first { $0.message.hasPrefix("template error") }?.line == 6)
        #expect(try issue("prompt `prompts/broken.md` line", in: found).line == 8)
    }
}

@Suite("CommandFile: decoding errors carry their line")
struct CommandFileDecodingTests {
    func decodingIssue(_ text: String) throws -> ValidationIssue {
        try #require(throws: ValidationIssue.self) { try CommandFile(file: "commands/x.yaml", text: text) }
    }

    @Test func aYAMLSyntaxError() throws {
        let issue = try decodingIssue(
            """
            name: deploy
            summary: Deploy
              allow: ["*"]
            action: {backend: sandbox, operation: deploy}
            """)
        #expect(issue.file == "commands/x.yaml")
        #expect(issue.message.hasPrefix("YAML syntax error"))
        #expect(issue.line == 3)
    }

    @Test func aMissingRequiredKey() throws {
        let issue = try decodingIssue(
            """
            # no allow list
            name: deploy
            summary: Deploy
            action: {backend: sandbox, operation: deploy}
            """)
        #expect(issue.message.contains("missing key `allow`"))
        #expect(issue.line == 2)
    }

    @Test func aMissingNestedKeyPointsAtItsParent() throws {
        let issue = try decodingIssue(
            """
            name: deploy
            summary: Deploy
            allow: ["*"]
            action: {backend: sandbox}
            """)
        #expect(issue.message.contains("missing key `operation`"))
        #expect(issue.message.contains("in `action`"))
        #expect(issue.line == 4)
    }

    @Test func aWronglyTypedValue() throws {
        let issue = try decodingIssue(
            """
            name: deploy
            summary: Deploy
            allow: ["*"]
            approval:
              approvers: [ml-lead]
              count: many
            action: {backend: sandbox, operation: deploy}
            """)
        #expect(issue.message.contains("approval.count"))
        #expect(issue.line == 6)
    }

    @Test func anUnknownArgumentType() throws {
        let issue = try decodingIssue(
            """
            name: deploy
            summary: Deploy
            args:
              - {name: model, type: text}
            allow: ["*"]
            action: {backend: sandbox, operation: deploy}
            """)
        #expect(issue.line == 4)
    }

    @Test func actionParametersAndWhenListsDecode() throws {
        let file = try CommandFile(
            file: "commands/x.yaml",
            text: """
                name: deploy
                summary: Deploy
                allow: ["*"]
                approval: {when: {env: [prod, eu-prod]}, approvers: [ml-lead], self_approval: true}
                action: {backend: sandbox, operation: deploy, model: "{{model}}"}
                summary_prompt: prompts/deploy.md
                """)
        #expect(file.spec.action == ActionSpec(backend: "sandbox", operation: "deploy", parameters: ["model": "{{model}}"]))
        #expect(file.spec.approval?.when?["env"]?.values == ["prod", "eu-prod"])
        #expect(file.spec.approval?.selfApproval == true)
        #expect(file.spec.approval?.count == 1)
        #expect(file.spec.approval?.expires == "1h")
        #expect(file.spec.summaryPrompt == "prompts/deploy.md")
        #expect(file.spec.aliases.isEmpty)
    }

}

extension CommandFileValidatorTests {
    @Test func anEvalRequirementNeedsAModelArgumentADurationAndAVerdict() throws {
        let text = """
            name: deploy
            summary: Deploy
            args:
              - {name: target, type: string}
            allow: [ml-engineer]
            approval:
              approvers: [ml-lead]
              requires: {eval: {dataset: holdout, verdict: ship, max_age: soon, windows: 3}}
            action: {backend: sandbox, operation: deploy}
            """
        let found = try issues(text)
        #expect(try issue("needs the command to have a `model` argument", in: found).message.contains("requires"))
        _ = try issue("`max_age: soon` is not a duration", in: found)
        _ = try issue("`verdict: ship` is not promote, hold or reject", in: found)
        _ = try issue("windows", in: found)
    }
}

@Suite("Evidence for an approval")
struct EvalRequirementTests {
    @Test func aNumberedVersionIsTheSameWithOrWithoutItsV() {
        #expect(EvalRequirement.versionForms("v12") == ["v12", "12"])
        #expect(EvalRequirement.versionForms("12") == ["12", "v12"])
        #expect(EvalRequirement.versionForms("V12") == ["V12", "12", "v12"])
        #expect(EvalRequirement.versionForms("v012") == ["v012", "12", "v12"])
        #expect(EvalRequirement.versionForms("champion") == ["champion"])
        #expect(EvalRequirement.versionForms("v12-rc1") == ["v12-rc1"])
    }

    let requirement = EvalRequirement(dataset: "holdout")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func run(_ id: String, verdict: String, hoursAgo: Double) -> StoredEvalRun {
        StoredEvalRun(
            id: id, model: "fraud", version: "v12", dataset: "holdout", requestedBy: Principal(platform: "slack", userID: "U1", displayName: "Dave"),
            startedAt: now.addingTimeInterval(-hoursAgo * 3600 - 60), finishedAt: now.addingTimeInterval(-hoursAgo * 3600), verdict: verdict,
            reason: "\(verdict): because", cases: [])
    }

    @Test func onlyAFreshEvalWithTheVerdictSatisfiesIt() {
        let missing = requirement.check(model: "fraud", version: "v12", latest: nil, now: now)
        #expect(missing.problem == "no eval of fraud v12 on holdout yet: type `eval fraud v12 --dataset holdout` to run one")
        let stale = requirement.check(model: "fraud", version: "v12", latest: run("r1", verdict: "promote", hoursAgo: 30), now: now)
        #expect(stale.problem?.contains("is 1d6h old, more than 24h") == true, "\(stale.problem ?? "")")
        let held = requirement.check(model: "fraud", version: "v12", latest: run("r2", verdict: "hold", hoursAgo: 1), now: now)
        #expect(held.problem?.contains("says hold, not promote (hold: because)") == true)
        let good = requirement.check(model: "fraud", version: "v12", latest: run("r3", verdict: "promote", hoursAgo: 1), now: now)
        #expect(good.satisfies && good.runID == "r3" && good.requestedBy == "Dave")
    }

    @Test func theFingerprintCoversTheEvidenceAndAnApprovalNeedsItSatisfied() {
        let invocation = Invocation(command: "deploy", arguments: ["model": .string("fraud"), "version": .string("v12")])
        var request = ApprovalRequest(
            id: "a1", jobID: "j1", invocation: invocation, requester: Principal(platform: "slack", userID: "alice"),
            conversation: Conversation(platform: "slack", channel: "C1"),
            policy: ApprovalPolicy(approvers: ["ml-lead"], requires: ApprovalRequirements(eval: requirement)), createdAt: now, lockTarget: nil)
        request.attach(requirement.check(model: "fraud", version: "v12", latest: nil, now: now))
        let withoutRun = request.fingerprint
        #expect(withoutRun != invocation.fingerprint)
        let bob = Principal(platform: "slack", userID: "bob")
        #expect(
            request.vote(by: bob, roles: ["ml-lead"], decision: .approve, fingerprint: nil, now: now)
                == .refused(.missingEvidence(request.evidence!.problem!)))
        request.attach(requirement.check(model: "fraud", version: "v12", latest: run("r3", verdict: "promote", hoursAgo: 1), now: now))
        #expect(request.fingerprint != withoutRun, "another eval makes another card")
        #expect(
            request.vote(by: bob, roles: ["ml-lead"], decision: .approve, fingerprint: String(withoutRun.prefix(16)), now: now)
                == .refused(.fingerprintMismatch))
        #expect(
            request.vote(by: bob, roles: ["ml-lead"], decision: .approve, fingerprint: String(request.fingerprint.prefix(16)), now: now) == .approved)
    }
}
