import ChatOpsCore
import Foundation

/// `slack:` in `chatops.yaml`: on when both the signing secret and the bot token are set.
public struct SlackSettings: PlatformSettings {
    public static let section = "slack"
    public var signingSecret: String?
    public var botToken: String?
    /// The Web API base URL (a local double in tests).
    public var apiURL = "https://slack.com/api/"
    public var commandsPath = "/slack/commands"
    public var eventsPath = "/slack/events"
    public var interactivePath = "/slack/interactive"
    /// The least time between two posts in one channel.
    public var channelIntervalMilliseconds = 1_000
    /// How long the members of a user group are remembered before they are asked for again.
    public var groupCacheSeconds = 60

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case signingSecret = "signing_secret", botToken = "bot_token", apiURL = "api_url", commandsPath = "commands_path"
        case eventsPath = "events_path", interactivePath = "interactive_path", channelIntervalMilliseconds = "channel_interval_ms"
        case groupCacheSeconds = "group_cache_s"
    }

    public static var keySchema: KeySchema { .fields(CodingKeys.self) }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        signingSecret = try c.decodeIfPresent(String.self, forKey: .signingSecret)
        botToken = try c.decodeIfPresent(String.self, forKey: .botToken)
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
        commandsPath = try c.decodeIfPresent(String.self, forKey: .commandsPath) ?? commandsPath
        eventsPath = try c.decodeIfPresent(String.self, forKey: .eventsPath) ?? eventsPath
        interactivePath = try c.decodeIfPresent(String.self, forKey: .interactivePath) ?? interactivePath
        channelIntervalMilliseconds = try c.decodeIfPresent(Int.self, forKey: .channelIntervalMilliseconds) ?? channelIntervalMilliseconds
        groupCacheSeconds = try c.decodeIfPresent(Int.self, forKey: .groupCacheSeconds) ?? groupCacheSeconds
    }

    public var isEnabled: Bool { signingSecret != nil && botToken != nil }

    public var secrets: [String] { [signingSecret, botToken].compactMap { $0 } }

    public func problems() -> [SettingsProblem] {
        var problems: [SettingsProblem] = []
        for (key, value) in [("signing_secret", signingSecret), ("bot_token", botToken)] where value?.isEmpty == true {
            problems.append(.init([key], "slack.\(key) is empty; an empty secret never turns a check off (remove the slack section to turn Slack off)"))
        }
        if (signingSecret == nil) != (botToken == nil) { problems.append(.init([], "slack needs both signing_secret and bot_token")) }
        return problems
    }

    public func makePlatform(_ environment: PlatformEnvironment) throws -> any ChatPlatform {
        let client = SlackWebAPIClient(
            settings: .init(baseURL: apiURL, token: botToken ?? "", channelInterval: .milliseconds(channelIntervalMilliseconds)),
            http: environment.http, logger: environment.logger)
        return SlackPlatform(client: client, settings: self, environment: environment)
    }
}
