import ChatOpsCore
import ChatPlatforms
import Testing

@Suite("Slack slash-command acknowledgement")
struct PublicAcknowledgementTests {
    let parser: CommandParser
    let roles = RoleDirectory(roles: ["ml-engineer": .init(users: ["slack:U_ALICE"]), "ml-lead": .init(users: ["U_BOB"])])
    let alice = Principal(platform: "slack", userID: "U_ALICE")
    let bob = Principal(platform: "slack", userID: "U_BOB")
    let mallory = Principal(platform: "slack", userID: "U_MALLORY")

    init() throws {
        let specs = [
            CommandSpec(
                name: "deploy", summary: "Deploy", args: [ArgumentSpec(name: "model", type: .string)], allow: ["ml-engineer", "ml-lead"],
                approval: ApprovalPolicy(approvers: ["ml-lead"]), action: ActionSpec(backend: "sandbox", operation: "deploy")),
            CommandSpec(name: "status", summary: "Show status", allow: ["*"], action: ActionSpec(backend: "sandbox", operation: "status")),
        ]
        parser = CommandParser(registry: try CommandRegistry(specs: specs), rootCommand: "mlops")
    }

    func isPublic(_ text: String, by sender: Principal) -> Bool {
        PublicAcknowledgement.isPublic(text: text, sender: sender, parser: parser, roles: roles)
    }

    @Test func aCommandTheSenderMayRunIsShownInTheChannel() {
        #expect(isPublic("/deploy fraud", by: alice), "allowed by a qualified user id")
        #expect(isPublic("/deploy fraud", by: bob), "allowed by a bare user id, and waiting for approval is not a refusal")
        #expect(isPublic("/mlops deploy fraud", by: alice), "through the root command")
        #expect(isPublic("/status", by: mallory), "open to everyone")
    }

    @Test func refusalsMistakesAndHelpStayPrivate() {
        #expect(!isPublic("/deploy fraud", by: mallory), "a command that will be refused is not shown to the channel")
        #expect(!isPublic("/mlops deploy fraud", by: mallory))
        #expect(!isPublic("/deplyo fraud", by: alice), "an unknown command")
        #expect(!isPublic("/deploy", by: alice), "a missing argument")
        #expect(!isPublic("/mlops help", by: alice), "help")
        #expect(!isPublic("/mlops", by: alice), "the root command alone is help")
    }
}
