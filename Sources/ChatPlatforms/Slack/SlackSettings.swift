import ChatOpsCore
import Foundation

/// `slack:` in `chatops.yaml`: on when the bot token is set with the signing secret (Slack posts to the
/// request URLs), the app-level token (Socket Mode: the bot connects to Slack), or both.
public struct SlackSettings: PlatformSettings {
    public static let section = "slack"
    public var signingSecret: String?
    public var botToken: String?
    /// The app-level token (`xapp-…`, scope `connections:write`): turns Socket Mode on.
    public var appToken: String?
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
        case signingSecret = "signing_secret", botToken = "bot_token", appToken = "app_token", apiURL = "api_url", commandsPath = "commands_path"
        case eventsPath = "events_path", interactivePath = "interactive_path", channelIntervalMilliseconds = "channel_interval_ms"
        case groupCacheSeconds = "group_cache_s"
    }

    public static var keySchema: KeySchema { .fields(CodingKeys.self) }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        signingSecret = try c.decodeIfPresent(String.self, forKey: .signingSecret)
        botToken = try c.decodeIfPresent(String.self, forKey: .botToken)
        appToken = try c.decodeIfPresent(String.self, forKey: .appToken)
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
        commandsPath = try c.decodeIfPresent(String.self, forKey: .commandsPath) ?? commandsPath
        eventsPath = try c.decodeIfPresent(String.self, forKey: .eventsPath) ?? eventsPath
        interactivePath = try c.decodeIfPresent(String.self, forKey: .interactivePath) ?? interactivePath
        channelIntervalMilliseconds = try c.decodeIfPresent(Int.self, forKey: .channelIntervalMilliseconds) ?? channelIntervalMilliseconds
        groupCacheSeconds = try c.decodeIfPresent(Int.self, forKey: .groupCacheSeconds) ?? groupCacheSeconds
    }

    /// Socket Mode requests are not signed, so the signing secret is needed only for the request URLs.
    public var isEnabled: Bool { botToken != nil && (signingSecret != nil || appToken != nil) }

    public var secrets: [String] { [signingSecret, botToken, appToken].compactMap { $0 } }

    public func problems() -> [SettingsProblem] {
        var problems: [SettingsProblem] = []
        let credentials = [("signing_secret", signingSecret), ("bot_token", botToken), ("app_token", appToken)]
        for (key, value) in credentials where value?.isEmpty == true {
            problems.append(
                .init([key], "slack.\(key) is empty; an empty secret never turns a check off (remove the slack section to turn Slack off)"))
        }
        if let appToken, !appToken.isEmpty, !appToken.hasPrefix("xapp-") {
            problems.append(.init(["app_token"], "slack.app_token must be an app-level token (`xapp-…`, Basic Information → App-Level Tokens)"))
        }
        if !isEnabled, credentials.contains(where: { $0.1 != nil }) {
            let needs = appToken != nil && signingSecret == nil ? "app_token and bot_token for Socket Mode" : "signing_secret and bot_token"
            problems.append(.init([], "slack needs both \(needs)"))
        }
        return problems
    }

    public func makePlatform(_ environment: PlatformEnvironment) throws -> any ChatPlatform {
        let client = SlackWebAPIClient(
            settings: .init(baseURL: apiURL, token: botToken ?? "", channelInterval: .milliseconds(channelIntervalMilliseconds)),
            http: environment.http, logger: environment.logger)
        return SlackPlatform(client: client, settings: self, environment: environment)
    }
}
