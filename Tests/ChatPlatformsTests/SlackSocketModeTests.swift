import ChatOpsCore
import Foundation
import Logging
import OutboundHTTP
import SlackSocketModeDouble
import Testing

@testable import ChatPlatforms

@Suite("Slack Socket Mode against a local double", .timeLimit(.minutes(1)))
struct SlackSocketModeTests {
    let parser: CommandParser
    let roles = RoleDirectory()

    init() throws {
        parser = try ConnectionFixtures.parser()
    }

    @Test func commandsMentionsAndClicksArriveAsOverHTTPEachStoredBeforeItIsAcknowledged() async throws {
        let mention = Self.mention(eventID: "Ev0MENTION")
        let expected: [String: SlackRequest] = [
            "env-command": try SlackInboundDecoder.slashCommand(body: Self.form(Self.command)),
            "env-mention": try SlackInboundDecoder.event(body: Data(mention.utf8)),
            "env-click": try SlackInboundDecoder.interaction(body: "payload=" + Self.escape(Self.click)),
        ]
        let intake = SocketModeRecordingIntake()
        try await SlackSocketModeDouble.run { double in
            try await withSocketMode(double, intake: intake) {
                double.send(envelope: .slashCommand(id: "env-command", Self.command))
                double.send(envelope: .event(id: "env-mention", try Self.json(mention)))
                double.send(envelope: .interaction(id: "env-click", try Self.json(Self.click)))
                try await eventually("the three are acknowledged") { expected.keys.allSatisfy { !double.acknowledgements(of: $0).isEmpty } }
            }
            for (envelopeID, request) in expected.sorted(by: { $0.key < $1.key }) {
                guard case .inbound(let http) = request else {
                    Issue.record("the HTTP decoder made no inbound of \(envelopeID)")
                    continue
                }
                let found = await intake.stored(http.dedupeKey)
                let stored = try #require(found, "\(envelopeID) is stored under the key HTTP gives it")
                #expect(stored.inbound.kind == http.kind, "\(envelopeID)")
                #expect(stored.inbound.sender == http.sender, "\(envelopeID)")
                #expect(stored.inbound.conversation == http.conversation, "\(envelopeID)")
                #expect(stored.inbound.replyThread == http.replyThread, "\(envelopeID)")
                #expect(double.acknowledgements(of: envelopeID).allSatisfy { $0.at >= stored.at }, "\(envelopeID) is stored, then acknowledged")
            }
            let inChannel: JSONValue = ["response_type": "in_channel"]
            #expect(double.acknowledgements(of: "env-command").first?.payload == inChannel, "a command anyone may run is shown in the channel")
            #expect(double.acknowledgements(of: "env-mention").first?.payload == nil)
        }
    }

    @Test func anEnvelopeNotStoredIsLeftUnacknowledgedAndStoredOnceWhenDeliveredAgain() async throws {
        let intake = SocketModeRecordingIntake()
        let failing = "slack:event:EvFAIL"
        await intake.failOnce(failing)
        try await SlackSocketModeDouble.run { double in
            try await withSocketMode(double, intake: intake) {
                double.send(envelope: .event(id: "env-fail", try Self.json(Self.mention(eventID: "EvFAIL"))))
                double.send(envelope: .event(id: "env-next", try Self.json(Self.mention(eventID: "EvNEXT"))))
                try await eventually("the next envelope is acknowledged") { !double.acknowledgements(of: "env-next").isEmpty }
                #expect(double.acknowledgements(of: "env-fail").isEmpty, "handled in order, so its turn came first: not stored, not acknowledged")
                double.disconnect(reason: "refresh_requested")
                try await eventually("the envelope delivered again is acknowledged") { !double.acknowledgements(of: "env-fail").isEmpty }
            }
            let found = await intake.stored(failing)
            let stored = try #require(found)
            let attempts = await intake.attempts(of: failing)
            #expect(attempts == 2, "one failed attempt, one stored")
            #expect(double.deliveries.filter { $0.envelopeID == "env-fail" }.map(\.retryAttempt) == [0, 1])
            #expect(double.acknowledgements(of: "env-fail").allSatisfy { $0.at >= stored.at })
        }
    }

    @Test func aRefreshInTheMiddleOfABurstLosesNothingAndStoresEachOnce() async throws {
        try await burstOfTwenty { $0.disconnect(reason: "refresh_requested") }
    }

    @Test func aDroppedSocketInTheMiddleOfABurstLosesNothingAndStoresEachOnce() async throws {
        try await burstOfTwenty { $0.drop() }
    }

    @Test func theServiceEndsWhenItsTaskIsCancelled() async throws {
        try await SlackSocketModeDouble.run { double in
            // `withSocketMode` cancels the service's task when its body ends, and waits for the service to end.
            try await withSocketMode(double, intake: SocketModeRecordingIntake()) {
                try await eventually("the bot is connected") { double.isConnected }
            }
            try await eventually("the connection is closed") { !double.isConnected }
            #expect(double.connectionCount == 1)
        }
    }

    /// Twenty envelopes; after the tenth is sent, `interrupt` ends the connection.
    func burstOfTwenty(interruptedBy interrupt: @Sendable (SlackSocketModeDouble) -> Void) async throws {
        let intake = SocketModeRecordingIntake()
        let keys = (0..<20).map { "slack:event:EvBURST\($0)" }
        let envelopes = try (0..<20).map { index in
            SlackSocketModeDouble.Envelope.event(id: "env-\(index)", try Self.json(Self.mention(eventID: "EvBURST\(index)")))
        }
        try await SlackSocketModeDouble.run { double in
            try await withSocketMode(double, intake: intake) {
                try await eventually("the bot is connected") { double.isConnected }
                for (index, envelope) in envelopes.enumerated() {
                    double.send(envelope: envelope)
                    if index == 9 { interrupt(double) }
                }
                try await eventually("all twenty are acknowledged") { envelopes.allSatisfy { !double.acknowledgements(of: $0.id).isEmpty } }
            }
            let storedKeys = await intake.storedKeys
            #expect(storedKeys.sorted() == keys.sorted(), "none lost, none stored twice")
            #expect(double.connectionCount >= 2, "the bot connected again")
            for (envelope, key) in zip(envelopes, keys) {
                let found = await intake.stored(key)
                let stored = try #require(found)
                #expect(double.acknowledgements(of: envelope.id).allSatisfy { $0.at >= stored.at }, "\(envelope.id) is stored, then acknowledged")
            }
        }
    }

    /// Runs a `SlackSocketMode` against the double while `body` runs, then cancels its task and waits for it to end.
    func withSocketMode(_ double: SlackSocketModeDouble, intake: SocketModeRecordingIntake, _ body: () async throws -> Void) async throws {
        var logger = Logger(label: "slack-socket-mode-tests")
        logger.logLevel = .warning
        let settings = SlackSocketMode.Settings(
            reconnect: RetryPolicy(baseDelay: .milliseconds(20), maxDelay: .milliseconds(100)), pingInterval: .seconds(5), closeTimeout: .seconds(1))
        let service = SlackSocketMode(
            appToken: double.appToken, apiURL: double.baseURL, intake: intake, parser: parser, roles: roles, logger: logger, settings: settings)
        let ended = SocketModeFlag()
        let task = Task {
            try? await service.run()
            await ended.raise()
        }
        do { try await body() } catch {
            task.cancel()
            throw error
        }
        task.cancel()
        try await eventually("the service ended") { await ended.isRaised }
    }

    static let command: [String: String] = [
        "token": "unused", "team_id": "T1", "team_domain": "ops", "channel_id": "C9", "channel_name": "ops", "user_id": "U1", "user_name": "alice",
        "command": "/status", "text": "", "api_app_id": "A0DOUBLE", "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T1/1/x", "trigger_id": "1337.42.abcdef",
    ]

    static let click = #"""
        {"type":"block_actions","trigger_id":"111.222","user":{"id":"U2","username":"bob","team_id":"T1"},
         "container":{"type":"message","message_ts":"1.7","channel_id":"C9"},"channel":{"id":"C9","name":"ops"},
         "message":{"ts":"1.7","thread_ts":"1.5","text":"x"},"response_url":"https://hooks.slack.com/actions/x",
         "actions":[{"type":"button","action_id":"approve","block_id":"b","value":"approve:k7q2m9:0123456789abcdef","action_ts":"1712345690.1"}]}
        """#

    static func mention(eventID: String) -> String {
        #"{"token":"unused","team_id":"T1","api_app_id":"A0DOUBLE","type":"event_callback","event_id":"\#(eventID)","event_time":1712345678,"#
            + #""event":{"type":"app_mention","user":"U2","text":"<@U0BOT> status","ts":"1712345678.000100","channel":"C9"}}"#
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func form(_ fields: [String: String]) -> String {
        fields.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

/// Stores inbounds as the store does (a dedupe key seen before is a redelivery, and nothing is stored),
/// noting when each was stored. A key can be made to fail once, as a store that is briefly unavailable.
actor SocketModeRecordingIntake: InboundIntake {
    struct Stored: Sendable {
        var inbound: Inbound
        var at: Date
    }

    struct Unavailable: Error {}

    private var all: [Stored] = []
    private var attempted: [String: Int] = [:]
    private var failing: Set<String> = []

    func failOnce(_ dedupeKey: String) { failing.insert(dedupeKey) }

    func accept(_ inbound: Inbound) async throws -> Bool {
        attempted[inbound.dedupeKey, default: 0] += 1
        if failing.remove(inbound.dedupeKey) != nil { throw Unavailable() }
        if all.contains(where: { $0.inbound.dedupeKey == inbound.dedupeKey }) { return true }
        all.append(Stored(inbound: inbound, at: Date()))
        return false
    }

    func stored(_ dedupeKey: String) -> Stored? { all.first { $0.inbound.dedupeKey == dedupeKey } }
    func attempts(of dedupeKey: String) -> Int { attempted[dedupeKey] ?? 0 }
    var storedKeys: [String] { all.map(\.inbound.dedupeKey) }
}

/// Raised once the service has ended.
actor SocketModeFlag {
    private(set) var isRaised = false
    func raise() { isRaised = true }
}
