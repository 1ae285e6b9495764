import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Requests answered with nothing stored: Slack's URL and certificate checks, chatter, and what the
/// bot refuses (unverified, unreadable or oversized). Uses `SlackRouteBot` (SlackRouteTests.swift).
@Suite("Slack's request URLs, in-process: answered without storing, or refused")
struct SlackRouteRefusalTests {
    @Test func urlVerificationIsAnsweredWithTheChallenge() async throws {
        let bot = try SlackRouteBot()
        let recorded = try JSONDecoder().decode(JSONValue.self, from: Data(try SlackFixture.eventURLVerification.body().utf8))
        let challenge = try #require(recorded["challenge"])
        try await bot.serve { client async throws in
            let response = try await client.slack(.eventURLVerification)
            #expect(response.status == .ok)
            let answer = try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))
            #expect(answer == ["challenge": challenge])
            #expect(try bot.storedInbounds().isEmpty)
        }
    }

    @Test func slacksCertificateCheckNeedsNoSignature() async throws {
        let bot = try SlackRouteBot()
        try await bot.serve { client async throws in
            let response = try await client.slack("/slack/commands", body: "ssl_check=1&token=Xb3kQ9mT7vLp2RzN8wYc4HfJ", signing: .missing)
            #expect(response.status == .ok)
            #expect(try bot.storedInbounds().isEmpty)
            #expect(try await bot.runtime.store.auditEvents().filter { $0.kind == "auth.rejected" }.isEmpty)
        }
    }

    @Test func chatterInAThreadIsAcknowledgedAndNotStored() async throws {
        let bot = try SlackRouteBot()
        try await bot.serve { client async throws in
            #expect(try await client.slack(.eventThreadChatter).status == .ok)
            #expect(try bot.storedInbounds().isEmpty)
        }
    }

    @Test(arguments: [(SlackSigning.forged, "bad_signature"), (SlackSigning.stale, "stale_timestamp"), (SlackSigning.missing, "missing_headers")])
    func anUnverifiedRequestIsRefusedAuditedAndNotStored(_ signing: SlackSigning, reason: String) async throws {
        let bot = try SlackRouteBot()
        try await bot.serve { client async throws in
            let response = try await client.slack(.slashCommandDeploy, signing: signing)
            #expect(response.status == .unauthorized)
            #expect(try bot.storedInbounds().isEmpty)
            let refusals = try await bot.runtime.store.auditEvents().filter { $0.kind == "auth.rejected" }
            #expect(refusals.count == 1)
            #expect(refusals.first?.details["reason"] == reason)
            #expect(refusals.first?.subject == "POST /slack/commands")
        }
    }

    @Test func aSignedBodyThatIsNotASlackRequestGets400AndTheServerGoesOn() async throws {
        let bot = try SlackRouteBot()
        try await bot.serve { client async throws in
            for body in ["{not json", #"{"type":"event_callback","event_id":"Ev0BAD","event":{"type":7}}"#] {
                let response = try await client.slack("/slack/events", body: body)
                #expect(response.status == .badRequest, "\(body)")
                let text = String(buffer: response.body)
                #expect(text.lowercased().contains("not a slack request"), "\(text)")
                for leak in ["DecodingError", "typeMismatch", "codingPath", "Swift."] {
                    #expect(!text.contains(leak), "the decoder's reason stays in the log: \(text)")
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            #expect(try await client.slack(.eventAppMention).status == .ok, "still serving Slack")
            #expect(try bot.storedInbounds().count == 1)
        }
    }

    @Test func aBodyOverTheLimitGets413() async throws {
        let bot = try SlackRouteBot()
        let padding = String(repeating: "x", count: SlackRouteBot.maxBodyBytes)
        try await bot.serve { client async throws in
            let response = try await client.slack("/slack/events", body: #"{"type":"event_callback","padding":"\#(padding)"}"#)
            #expect(response.status == .contentTooLarge)
            #expect(try bot.storedInbounds().isEmpty)
        }
    }
}
