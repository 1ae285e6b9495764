import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import Logging
import OpsBackends
import Testing

/// Only an authorized person other than the requester approves, and only from where the request lives.
@Suite("Identity: votes, groups and linked ids")
struct IdentityTests {
    /// Sends a vote as it would arrive from `platform` (another platform than the request's, or another channel).
    func vote(_ text: String, as principal: Principal, channel: String = "ops", thread: String?, in bot: TestBot) async throws {
        let inbound = Inbound(
            kind: .message(text: text), sender: principal, conversation: Conversation(platform: principal.platform, channel: channel, thread: thread),
            replyThread: "vote-\(UUID().uuidString)", dedupeKey: "vote:\(UUID().uuidString)", receivedAt: bot.clock.now)
        _ = try await bot.store.enqueue(inbound)
        await bot.drain()
    }

    func approvalID(_ bot: TestBot) async throws -> String {
        let approval = try #require(await bot.lastApprovalRequest())
        return String(try #require(approval.buttons.first?.requestID))
    }

    @Test func aGroupClaimedOnAnotherPlatformCannotApproveFromAnotherChannel() async throws {
        let roles = RoleDirectory(roles: ["ml-engineer": .init(users: ["alice"]), "ml-lead": .init(groups: ["test:LEADS"])])
        let bot = try TestBot(roles: roles)
        try await bot.say("deploy fraud v12 --env prod", as: "alice")
        let id = try await approvalID(bot)
        // Eve on the web chat says she is in the leads' group and votes by id from her own channel.
        let eve = Principal(platform: "webchat", userID: "eve", groups: ["test:LEADS", "LEADS"])
        try await vote("approve \(id)", as: eve, channel: "general", thread: nil, in: bot)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil, "nothing ran")
        let votes = try await bot.store.auditEvents().filter { $0.kind == "approval.vote" }
        #expect(votes.last?.details["result"]?.contains("elsewhere") == true)
        #expect(roles.roles(of: eve).isEmpty, "a group counts only on the platform that asserted it")
    }

    @Test func aVoteByIDFromAnotherChannelOrOutsideTheThreadIsRefused() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        let id = try await approvalID(bot)
        try await vote("approve \(id)", as: TestBot.person("bob"), channel: "random", thread: nil, in: bot)
        try await vote("approve \(id)", as: TestBot.person("bob"), channel: "ops", thread: nil, in: bot)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
        #expect(await bot.platform.replies.last?.text.contains("only in its own thread") == true)
        try await vote("approve \(id)", as: TestBot.person("bob"), channel: "ops", thread: request.replyConversation.thread, in: bot)
        #expect(try await bot.revision(of: "fraud", env: "prod") == 1, "the same vote in the request's thread counts")
    }

    @Test func aLinkedIdentityIsOnePersonAcrossPlatforms() async throws {
        let roles = RoleDirectory(roles: [
            "ml-engineer": .init(users: ["test:alice"]), "ml-lead": .init(users: ["test:bob", "webchat:bob", "webchat:carol"]),
        ])
        let identities = IdentityLinks(people: ["bob": ["test:bob", "webchat:bob"], "carol": ["test:carol", "webchat:carol"]])
        #expect(identities.problems().isEmpty)
        let bot = try TestBot(roles: roles, identities: identities)
        try await bot.say("deploy fraud v12 --env prod", as: "bob")
        let id = try await approvalID(bot)
        // Bob's own web chat id is still bob: he cannot approve his own request from there.
        try await vote("approve \(id)", as: TestBot.person("bob", platform: "webchat"), channel: "general", thread: nil, in: bot)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
        let refusal = try await bot.store.auditEvents().last { $0.kind == "approval.vote" }
        #expect(refusal?.details["result"]?.contains("selfApproval") == true, "\(refusal?.details ?? [:])")
        // An unlinked web chat user with the same name as a lead is someone else and may not vote from there.
        try await vote("approve \(id)", as: TestBot.person("dave", platform: "webchat"), channel: "general", thread: nil, in: bot)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
        // Carol, linked, votes from the web chat: it counts.
        try await vote("approve \(id)", as: TestBot.person("carol", platform: "webchat"), channel: "general", thread: nil, in: bot)
        #expect(try await bot.revision(of: "fraud", env: "prod") == 1)
    }

    @Test func linksThatNameNoPlatformOrTwoPeopleAreMistakes() {
        let links = IdentityLinks(people: ["a": ["slack:U1", "bob"], "b": ["slack:U1"]])
        #expect(links.problems().count == 2)
    }
}

/// An approved command runs only if it still matches the command files and its requester may still run it.
@Suite("Approved commands are checked again when they run")
struct ApprovedRunRecheckTests {
    /// Another engine on the same store and chat, as a restarted bot with edited configuration would be.
    func engine(_ bot: TestBot, roles: RoleDirectory, editing edit: (inout CommandSpec) -> Void = { _ in }) throws -> JobWorkerService {
        let loaded = try TestBot.loadRepositoryCommands(in: bot.directory)
        let registry = try CommandRegistry(
            specs: loaded.registry.specs.map { spec in
                var edited = spec
                edit(&edited)
                return edited
            })
        let engine = Engine(
            store: bot.store, registry: registry, parser: CommandParser(registry: registry), roles: roles, adminRole: "admin",
            platforms: [bot.platform], backends: [SandboxBackend(store: bot.store, stepDelay: .zero)], logger: Logger(label: "test"),
            now: { bot.clock.now })
        return JobWorkerService(
            engine: engine, settings: .init(workers: 1, poll: .milliseconds(10), maxAttempts: 3, retryDelay: { _ in 0 }), identity: "edited",
            logger: Logger(label: "test"))
    }

    func approve(_ bot: TestBot, thread: String, with worker: JobWorkerService) async throws {
        let approve = try #require(await bot.lastApprovalRequest()?.buttons.first)
        _ = try await bot.store.enqueue(
            Inbound(
                kind: .button(approve), sender: TestBot.person("bob"), conversation: Conversation(platform: "test", channel: "ops", thread: thread),
                dedupeKey: "click:\(UUID().uuidString)"))
        while await worker.runOne(worker: "edited") {}
    }

    @Test func aRequesterWhoLostTheRoleBeforeTheApprovalRunsNothing() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        let withoutAlice = RoleDirectory(roles: ["ml-lead": .init(users: ["bob", "carol"])])
        try await approve(bot, thread: request.replyConversation.thread!, with: try engine(bot, roles: withoutAlice))
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil, "nothing ran")
        #expect(await bot.platform.replies.last?.text.contains("may no longer run this") == true)
        #expect(try await bot.store.lock(target: "fraud@prod") == nil, "the lock is released")
    }

    @Test func aCommandWhoseFileNoLongerAcceptsItBeforeTheApprovalRunsNothing() async throws {
        let bot = try TestBot()
        let request = try await bot.say("deploy fraud v12 --env prod", as: "alice")
        // The deploy command file now allows staging only.
        let stagingOnly = try engine(bot, roles: TestBot.roles) { spec in
            guard spec.name == "deploy", let index = spec.args.firstIndex(where: { $0.name == "env" }) else { return }
            spec.args[index].values = ["staging"]
        }
        try await approve(bot, thread: request.replyConversation.thread!, with: stagingOnly)
        #expect(try await bot.revision(of: "fraud", env: "prod") == nil)
        #expect(await bot.platform.replies.last?.text.contains("no longer matches the command files") == true)
    }
}
