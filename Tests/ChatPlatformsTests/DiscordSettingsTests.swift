import ChatOpsCore
import Foundation
import Logging
import Testing

@testable import ChatPlatforms

@Suite("Discord settings")
struct DiscordSettingsTests {
    static let publicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"

    func settings(_ json: String) throws -> DiscordSettings {
        try JSONDecoder().decode(DiscordSettings.self, from: Data(json.utf8))
    }

    @Test func aWholeSectionTurnsDiscordOnWithDefaults() throws {
        let section = try settings(#"{"application_id":"A1","public_key":"\#(Self.publicKey)","bot_token":"tok-123456789"}"#)
        #expect(section.isEnabled)
        #expect(section.problems().isEmpty)
        #expect(section.secrets == ["tok-123456789"])
        #expect(section.apiURL == "https://discord.com/api/v10")
        #expect(section.interactionsPath == "/discord/interactions")
        #expect(section.channelIntervalMilliseconds == 1_000)
        #expect(section.maxSignatureAgeSeconds == 300)
    }

    @Test func theGatewayAloneNeedsNoPublicKeyAndServesNoEndpoint() throws {
        let section = try settings(#"{"application_id":"A1","bot_token":"tok-123456789","gateway":true}"#)
        #expect(section.isEnabled)
        #expect(section.problems().isEmpty)
        let platform = try section.makePlatform(
            PlatformEnvironment(
                intake: NoIntake(), deliveries: NoDeliveries(), parser: try ConnectionFixtures.parser(), roles: RoleDirectory(),
                logger: Logger(label: "test")))
        #expect(platform.webhooks.isEmpty, "nothing could verify an endpoint's requests")
        #expect(platform.connections.count == 1)
        let neither = try settings(#"{"application_id":"A1","bot_token":"tok-123456789"}"#)
        #expect(!neither.isEnabled, "no way for interactions to arrive")
    }

    struct NoIntake: InboundIntake {
        func accept(_ inbound: Inbound) async throws -> Bool { false }
    }

    struct NoDeliveries: DeliveryRecords {
        func delivery(key: String) async throws -> String? { nil }
        func recordDelivery(key: String, messageID: String) async throws {}
    }

    @Test func partialEmptyAndMalformedSectionsAreReported() throws {
        let partial = try settings(#"{"application_id":"A1"}"#)
        #expect(!partial.isEnabled)
        #expect(
            partial.problems().contains(
                SettingsProblem([], "discord needs application_id and bot_token, and public_key (interactions endpoint) or gateway: true")))
        let malformed = try settings(#"{"application_id":"A1","public_key":"abc","bot_token":""}"#)
        #expect(malformed.problems().map(\.path).contains(["public_key"]))
        #expect(malformed.problems().map(\.path).contains(["bot_token"]))
        let odd = try settings(#"{"application_id":"A1","public_key":"\#(Self.publicKey)","bot_token":"t","max_signature_age_s":0}"#)
        #expect(odd.problems().map(\.path) == [["max_signature_age_s"]])
    }

    @Test func theKeySchemaNamesEveryKey() {
        guard case .mapping(let keys) = DiscordSettings.keySchema else {
            Issue.record("a mapping")
            return
        }
        #expect(
            Set(keys.keys) == [
                "application_id", "public_key", "bot_token", "api_url", "interactions_path", "channel_interval_ms", "max_signature_age_s", "gateway",
                "gateway_url",
            ])
        #expect(DiscordSettings.section == "discord")
    }
}
