import AsyncHTTPClient
import ChatOpsCore
import Logging

/// A platform's section of `chatops.yaml`, and how the platform is built from it. Each platform
/// folder has one; the server's registry lists them, so adding a platform is one folder and one line.
public protocol PlatformSettings: Decodable, Sendable {
    /// The section's key (`slack`, `discord`).
    static var section: String { get }
    /// The keys the section may hold, for `chatops validate`.
    static var keySchema: KeySchema { get }
    /// Whether the section's credentials turn the platform on.
    var isEnabled: Bool { get }
    /// Every secret in the section: kept out of chat, logs and model prompts.
    var secrets: [String] { get }
    /// Mistakes in the section, each with its key path below the section and a message.
    func problems() -> [SettingsProblem]
    /// Builds the platform (called only when `isEnabled`).
    func makePlatform(_ environment: PlatformEnvironment) throws -> any ChatPlatform
}

/// One mistake in a platform's section.
public struct SettingsProblem: Sendable, Equatable {
    public var path: [String]
    public var message: String

    public init(_ path: [String], _ message: String) {
        self.path = path
        self.message = message
    }
}

/// What a platform is built from besides its settings.
public struct PlatformEnvironment: Sendable {
    /// Where outward connections hand what they receive (stored before they acknowledge it).
    public var intake: any InboundIntake
    /// Which replies were posted, for posting each exactly once.
    public var deliveries: any DeliveryRecords
    /// The command parser (slash-command acknowledgements and registered commands depend on it).
    public var parser: CommandParser
    /// Who holds which role, from `roles:`.
    public var roles: RoleDirectory
    public var http: HTTPClient
    public var logger: Logger

    public init(
        intake: any InboundIntake, deliveries: any DeliveryRecords, parser: CommandParser, roles: RoleDirectory, http: HTTPClient = .shared,
        logger: Logger
    ) {
        self.intake = intake
        self.deliveries = deliveries
        self.parser = parser
        self.roles = roles
        self.http = http
        self.logger = logger
    }
}
