import ChatOpsCore
import ChatPlatforms

/// The chat platforms the bot can serve, each by its section of `chatops.yaml`. A new platform is
/// its folder in `ChatPlatforms` and one line here.
enum PlatformRegistry {
    static let sections: [any PlatformSettings.Type] = [
        SlackSettings.self,
        DiscordSettings.self,
    ]

    /// Every platform section present in the configuration, decoded by its own type.
    static func decodeSections(from decoder: any Decoder) throws -> [String: any PlatformSettings] {
        let container = try decoder.container(keyedBy: SectionKey.self)
        var found: [String: any PlatformSettings] = [:]
        for type in sections {
            if let settings = try decode(type, from: container) { found[type.section] = settings }
        }
        return found
    }

    /// The top-level keys the platform sections add to `chatops.yaml`, for `validate`.
    static var keySchema: [String: KeySchema] {
        Dictionary(uniqueKeysWithValues: sections.map { ($0.section, $0.keySchema) })
    }

    /// The platforms whose sections turn them on.
    static func platforms(_ configured: [String: any PlatformSettings], environment: PlatformEnvironment) throws -> [any ChatPlatform] {
        try configured.values.filter(\.isEnabled).sorted { type(of: $0).section < type(of: $1).section }.map { try $0.makePlatform(environment) }
    }

    private static func decode<Settings: PlatformSettings>(
        _ type: Settings.Type, from container: KeyedDecodingContainer<SectionKey>
    ) throws -> Settings? {
        try container.decodeIfPresent(Settings.self, forKey: SectionKey(stringValue: Settings.section))
    }

    private struct SectionKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
