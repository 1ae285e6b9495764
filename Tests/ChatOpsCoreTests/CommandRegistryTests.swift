import ChatOpsCore
import Testing

@Suite("CommandRegistry")
struct CommandRegistryTests {
    @Test func looksUpByNameAndAliasIgnoringCase() {
        #expect(Fixtures.registry.command(named: "Deploy")?.name == "deploy")
        #expect(Fixtures.registry.command(named: "ST")?.name == "status")
        #expect(Fixtures.registry.command(named: "help") == nil)
        #expect(Fixtures.registry.command(named: "nope") == nil)
    }

    @Test func specsAreSortedByName() {
        #expect(Fixtures.registry.specs.map(\.name) == ["deploy", "metrics", "scale", "status"])
    }

    @Test func allNamesIncludeAliasesAndBuiltins() {
        let names = Fixtures.registry.allNames
        #expect(names == names.sorted())
        #expect(Set(names) == ["deploy", "metrics", "scale", "status", "st", "help", "approve", "reject", "unlock", "run", "cancel"])
    }

    @Test func suggestionsComeFromEveryName() {
        #expect(Fixtures.registry.suggestions(for: "deploi").first == "deploy")
        #expect(Fixtures.registry.suggestions(for: "unlok") == ["unlock"])
        #expect(Fixtures.registry.suggestions(for: "xyzzyplugh").isEmpty)
    }

    @Test func duplicateNamesAreRefused() {
        var copy = Fixtures.scale
        copy.name = "deploy"
        let error = #expect(throws: RegistryError.self) { try CommandRegistry(specs: [Fixtures.deploy, copy]) }
        #expect(error?.message.contains("`deploy`") == true)
    }

    @Test func anAliasCollidingWithAnotherCommandIsRefused() {
        var copy = Fixtures.scale
        copy.aliases = ["DEPLOY"]
        #expect(throws: RegistryError.self) { try CommandRegistry(specs: [Fixtures.deploy, copy]) }
    }

    @Test(arguments: ["help", "approve", "Reject", "unlock"])
    func builtinsCannotBeShadowed(name: String) {
        var copy = Fixtures.status
        copy.aliases = [name]
        let error = #expect(throws: RegistryError.self) { try CommandRegistry(specs: [copy]) }
        #expect(error?.message.contains("built-in") == true)
    }

    @Test func visibleCommandsFollowTheAllowLists() {
        #expect(Fixtures.registry.commands(visibleTo: []).map(\.name) == ["metrics", "status"])
        #expect(Fixtures.registry.commands(visibleTo: ["ml-lead"]).map(\.name) == ["deploy", "metrics", "scale", "status"])
    }

    @Test func helpListsOnlyVisibleCommands() {
        let stranger = HelpFormatter.help(registry: Fixtures.registry, roles: [], topic: nil)
        let rows = stranger.table.dropFirst().map { $0[0] }
        #expect(rows.count == 2)
        #expect(!rows.contains { $0.contains("deploy") })
        #expect(stranger.ephemeral)
    }

    @Test func helpOnACommandDescribesArgumentsAndApproval() {
        let reply = HelpFormatter.help(registry: Fixtures.registry, roles: ["ml-engineer"], topic: "deploy")
        #expect(reply.title == "deploy")
        #expect(reply.fields.map(\.name) == ["model", "version", "env", "canary", "approval"])
        #expect(reply.fields.last?.value == "1 × ml-lead when env=prod, expires after 2h")
    }

    @Test func helpOnAHiddenCommandFallsBackToTheList() {
        let reply = HelpFormatter.help(registry: Fixtures.registry, roles: [], topic: "deploy")
        #expect(reply.title == "Commands you can run")
    }
}
