import ChatOpsCore
import Foundation

/// `discord:` in `chatops.yaml`: on when the application id, its public key and the bot token are
/// all set (Developer Portal: General Information for the first two, Bot for the token). Discord
/// sends interactions to `interactions_path`, which the portal's Interactions Endpoint URL names.
/// With `gateway: true` the bot also keeps a Gateway connection (no public endpoint needed): mentions,
/// direct messages and typed answers in threads arrive over it, and interactions too when the portal
/// names no Interactions Endpoint URL.
public struct DiscordSettings: PlatformSettings {
    public static let section = "discord"
    public var applicationID: String?
    /// The application's public key, 64 hex digits: it checks every request's signature.
    public var publicKey: String?
    public var botToken: String?
    /// The REST API base URL (a local double in tests).
    public var apiURL = "https://discord.com/api/v10"
    public var interactionsPath = "/discord/interactions"
    /// The least time between two posts or edits in one channel or thread.
    public var channelIntervalMilliseconds = 1_000
    /// Discord documents no window for a request's timestamp; the bot refuses requests signed longer
    /// ago than this, or this far in the future, so a captured request cannot be replayed later.
    public var maxSignatureAgeSeconds = 300
    /// Whether the bot connects to the Gateway (`DiscordGateway`).
    public var gateway = false
    /// The Gateway's URL without its query (`wss://gateway.discord.gg`); nil: asked of `GET /gateway/bot`.
    public var gatewayURL: String?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case applicationID = "application_id", publicKey = "public_key", botToken = "bot_token", apiURL = "api_url"
        case interactionsPath = "interactions_path", channelIntervalMilliseconds = "channel_interval_ms"
        case maxSignatureAgeSeconds = "max_signature_age_s", gateway, gatewayURL = "gateway_url"
    }

    public static var keySchema: KeySchema { .fields(CodingKeys.self) }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        applicationID = try c.decodeIfPresent(String.self, forKey: .applicationID)
        publicKey = try c.decodeIfPresent(String.self, forKey: .publicKey)
        botToken = try c.decodeIfPresent(String.self, forKey: .botToken)
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
        interactionsPath = try c.decodeIfPresent(String.self, forKey: .interactionsPath) ?? interactionsPath
        channelIntervalMilliseconds = try c.decodeIfPresent(Int.self, forKey: .channelIntervalMilliseconds) ?? channelIntervalMilliseconds
        maxSignatureAgeSeconds = try c.decodeIfPresent(Int.self, forKey: .maxSignatureAgeSeconds) ?? maxSignatureAgeSeconds
        gateway = try c.decodeIfPresent(Bool.self, forKey: .gateway) ?? gateway
        gatewayURL = try c.decodeIfPresent(String.self, forKey: .gatewayURL)
    }

    /// On with the application's id and the bot token, and a way for interactions to arrive: the
    /// public key that verifies the interactions endpoint's requests, or the Gateway.
    public var isEnabled: Bool { applicationID != nil && botToken != nil && (publicKey != nil || gateway) }

    public var secrets: [String] { [botToken].compactMap { $0 } }

    public func problems() -> [SettingsProblem] {
        var problems: [SettingsProblem] = []
        let credentials = [("application_id", applicationID), ("public_key", publicKey), ("bot_token", botToken)]
        for (key, value) in credentials where value?.isEmpty == true {
            let message = "discord.\(key) is empty; an empty value never turns a check off (remove the discord section to turn Discord off)"
            problems.append(.init([key], message))
        }
        if let publicKey, !publicKey.isEmpty, DiscordSignature.publicKey(hex: publicKey) == nil {
            let message = "discord.public_key must be the application's public key: 64 hex digits (Developer Portal, General Information)"
            problems.append(.init(["public_key"], message))
        }
        if credentials.contains(where: { $0.1 != nil }), !isEnabled {
            problems.append(.init([], "discord needs application_id and bot_token, and public_key (interactions endpoint) or gateway: true"))
        }
        if !interactionsPath.hasPrefix("/") { problems.append(.init(["interactions_path"], "discord.interactions_path must start with `/`")) }
        if channelIntervalMilliseconds < 0 { problems.append(.init(["channel_interval_ms"], "discord.channel_interval_ms cannot be negative")) }
        if maxSignatureAgeSeconds <= 0 {
            problems.append(.init(["max_signature_age_s"], "discord.max_signature_age_s must be a positive number of seconds"))
        }
        if let gatewayURL, !gatewayURL.hasPrefix("wss://"), !gatewayURL.hasPrefix("ws://") {
            problems.append(.init(["gateway_url"], "discord.gateway_url must be a WebSocket URL (`wss://gateway.discord.gg`)"))
        }
        return problems
    }

    public func makePlatform(_ environment: PlatformEnvironment) throws -> any ChatPlatform {
        try DiscordPlatform(settings: self, environment: environment)
    }
}

/// A `discord:` section a platform cannot be made from (`problems()` names the same mistakes first).
public struct DiscordSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
