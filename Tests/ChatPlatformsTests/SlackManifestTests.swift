import ChatOpsCore
import ChatPlatforms
import Testing
import Yams

@Suite("Slack app manifest")
struct SlackManifestTests {
    @Test func listsEveryCommandWithTheRequestURLsAndScopes() throws {
        let specs = [
            CommandSpec(
                name: "deploy", summary: "Deploy \"quoted\" things: yes", args: [ArgumentSpec(name: "model", type: .string)], allow: ["*"],
                action: ActionSpec(backend: "sandbox", operation: "deploy")),
            CommandSpec(name: "status", summary: "Show status", allow: ["*"], action: ActionSpec(backend: "sandbox", operation: "status")),
        ]
        let yaml = SlackManifest.yaml(
            registry: try CommandRegistry(specs: specs), baseURL: "https://bot.example.com/", rootCommand: "mlops",
            paths: ("/slack/commands", "/slack/events", "/slack/interactive"))
        let manifest = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let features = try #require(manifest["features"] as? [String: Any])
        let commands = try #require(features["slash_commands"] as? [[String: Any]])
        #expect(commands.map { $0["command"] as? String } == ["/mlops", "/deploy", "/status"])
        #expect(commands.allSatisfy { $0["url"] as? String == "https://bot.example.com/slack/commands" })
        #expect(commands[1]["description"] as? String == "Deploy \"quoted\" things: yes")
        #expect(commands[1]["usage_hint"] as? String == "<model>")
        let settings = try #require(manifest["settings"] as? [String: Any])
        #expect((settings["event_subscriptions"] as? [String: Any])?["request_url"] as? String == "https://bot.example.com/slack/events")
        #expect((settings["interactivity"] as? [String: Any])?["request_url"] as? String == "https://bot.example.com/slack/interactive")
        let scopes = try #require(((manifest["oauth_config"] as? [String: Any])?["scopes"] as? [String: Any])?["bot"] as? [String])
        #expect(Set(scopes).isSuperset(of: ["commands", "chat:write", "files:write", "app_mentions:read"]))
        // conversations.history and conversations.replies, which find a reply posted before a crash.
        #expect(Set(scopes).isSuperset(of: ["channels:history", "groups:history", "im:history"]))
        #expect(scopes.contains("usergroups:read"), "roles granted to user groups")
        #expect(settings["socket_mode_enabled"] as? Bool == false)
    }

    @Test func aSocketModeAppHasNoRequestURLs() throws {
        let specs = [CommandSpec(name: "status", summary: "Show status", allow: ["*"], action: ActionSpec(backend: "sandbox", operation: "status"))]
        let yaml = SlackManifest.yaml(
            registry: try CommandRegistry(specs: specs), baseURL: nil, rootCommand: nil,
            paths: ("/slack/commands", "/slack/events", "/slack/interactive"))
        #expect(!yaml.contains("url"), "\(yaml)")
        let manifest = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let settings = try #require(manifest["settings"] as? [String: Any])
        #expect(settings["socket_mode_enabled"] as? Bool == true)
        #expect(
            (settings["event_subscriptions"] as? [String: Any])?["bot_events"] as? [String] == [
                "app_mention", "message.channels", "message.groups", "message.im",
            ])
        #expect(((manifest["features"] as? [String: Any])?["slash_commands"] as? [[String: Any]])?.first?["command"] as? String == "/status")
    }
}
