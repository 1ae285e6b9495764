import AsyncHTTPClient
import ChatOpsCore
import Foundation
import HummingbirdWSClient
import Logging
import Metrics
import OutboundHTTP
import ServiceLifecycle

/// Slack's Socket Mode (docs.slack.dev/apis/events-api/using-socket-mode), for teams without a public
/// HTTPS endpoint. The bot asks `apps.connections.open` with the app-level token (`xapp-…`) for a
/// WebSocket URL, connects, and receives over it what Slack would otherwise post to the request URLs.
/// Each envelope is decoded as over HTTP and stored as a job before its `envelope_id` is sent back; one
/// that cannot be stored is left unacknowledged, so Slack delivers it again (its dedupe key drops the
/// copy when the first was stored after all). Envelopes are handled one at a time, in their order.
///
/// Slack refreshes connections every few hours with a `disconnect` message: the bot connects again at
/// once, with a new URL. A dropped socket, a failed open, or Socket Mode turned off (`link_disabled`) is
/// followed by a new attempt after a backoff, which starts over once a connection was greeted with
/// `hello`. The bot pings the connection, so one that stopped answering is noticed and replaced.
struct SlackSocketMode: Service {
    struct Settings: Sendable {
        /// The waits between failed connections (only `backoff(afterAttempt:)` is used: attempts never run out).
        var reconnect = RetryPolicy(maxAttempts: .max, baseDelay: .seconds(1), maxDelay: .seconds(30))
        /// How often the bot pings; a connection whose pong has not come by the next ping is closed.
        var pingInterval: Duration = .seconds(30)
        /// The largest message taken from Slack.
        var maxMessageBytes = 4 << 20
        /// How long a closing connection waits for Slack's close frame.
        var closeTimeout: Duration = .seconds(5)
    }

    /// Calls `apps.connections.open` with the app-level token.
    let opener: SlackWebAPIClient
    let intake: any InboundIntake
    let parser: CommandParser
    let roles: RoleDirectory
    let settings: Settings
    let logger: Logger

    init(
        appToken: String, apiURL: String, intake: any InboundIntake, parser: CommandParser, roles: RoleDirectory, http: HTTPClient = .shared,
        logger: Logger, settings: Settings = Settings()
    ) {
        self.opener = SlackWebAPIClient(settings: .init(baseURL: apiURL, token: appToken), http: http, logger: logger)
        self.intake = intake
        self.parser = parser
        self.roles = roles
        self.settings = settings
        self.logger = logger
    }

    /// Keeps a connection until the task is cancelled or the service group shuts down.
    func run() async throws {
        await cancelWhenGracefulShutdown { await self.keepConnected() }
    }

    private func keepConnected() async {
        var failures = 0
        while !Task.isCancelled {
            let end = await connectOnce()
            guard !Task.isCancelled else { return }
            Counter(label: "chatops_slack_socket_reconnects_total", dimensions: [("reason", end.reason)]).increment()
            if end.greeted { failures = 0 }
            // Only a connection Slack greeted is refreshed at once, so a refusal right after connecting cannot spin.
            if end.greeted, end.reconnectsAtOnce { continue }
            failures += 1
            let wait = settings.reconnect.backoff(afterAttempt: failures)
            logger.warning("slack socket mode connecting again", metadata: ["slack.reason": "\(end.reason)", "chatops.wait": "\(wait)"])
            do { try await Task.sleep(for: wait) } catch { return }
        }
    }

    /// Opens one connection and handles what arrives on it until it ends.
    private func connectOnce() async -> SlackSocketSession.End {
        let session = SlackSocketSession()
        do {
            let url = try await openURL()
            try await WebSocketClient.connect(url: url, configuration: clientConfiguration, logger: logger) { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: self.settings.maxMessageBytes) {
                    guard case .text(let text) = message else { continue }
                    guard try await self.receive(text, session: session, outbound: outbound) else { return }
                }
            }
        } catch {
            if !Task.isCancelled { logger.warning("slack socket mode connection failed", metadata: Self.metadata(of: error)) }
        }
        return await session.end
    }

    /// A fresh WebSocket URL (api.slack.com/methods/apps.connections.open); each is good for one connection.
    private func openURL() async throws -> String {
        let answer = try await opener.call("apps.connections.open", .object([:]))
        guard let url = answer["url"]?.string else { throw SlackAPIError(method: "apps.connections.open", code: "no_url") }
        return url
    }

    private var clientConfiguration: WebSocketClientConfiguration {
        WebSocketClientConfiguration(
            maxFrameSize: settings.maxMessageBytes, closeTimeout: settings.closeTimeout, autoPing: .enabled(timePeriod: settings.pingInterval))
    }

    /// Handles one message from Slack.
    /// - Returns: false when the connection is to end (a `disconnect`).
    private func receive(_ text: String, session: SlackSocketSession, outbound: WebSocketOutboundWriter) async throws -> Bool {
        let receivedAt = Date()
        let envelope: SlackSocketEnvelope
        do { envelope = try SlackSocketEnvelope(text: text) } catch {
            logger.warning("slack socket message not understood", metadata: ["error": "\(error)"])
            count("malformed")
            return true
        }
        switch envelope.type {
        case "hello":
            await session.greet()
            var metadata: Logger.Metadata = ["slack.host": "\(envelope.debugHost ?? "?")"]
            if let connections = envelope.numConnections { metadata["slack.connections"] = "\(connections)" }
            logger.info("slack socket mode connected", metadata: metadata)
            return true
        case "disconnect":
            let reason = envelope.reason ?? "unknown"
            await session.disconnected(reason: reason)
            let level: Logger.Level = reason == SlackSocketSession.End.linkDisabled ? .error : .info
            logger.log(level: level, "slack socket mode disconnect", metadata: ["slack.reason": "\(reason)"])
            return false
        default:
            if envelope.retryAttempt > 0 {
                logger.debug(
                    "slack envelope delivered again",
                    metadata: ["slack.retry_attempt": "\(envelope.retryAttempt)", "slack.retry_reason": "\(envelope.retryReason ?? "")"])
            }
            if let answer = await acknowledgement(of: envelope, receivedAt: receivedAt) { try await outbound.write(.text(answer)) }
            return true
        }
    }

    /// Decodes an envelope and stores what it asks for.
    /// - Returns: its acknowledgement, or nil to leave it unacknowledged (it is not stored; Slack delivers it again).
    private func acknowledgement(of envelope: SlackSocketEnvelope, receivedAt: Date) async -> String? {
        guard let envelopeID = envelope.envelopeID else {
            logger.warning("slack socket envelope without an envelope_id", metadata: ["slack.type": "\(envelope.type)"])
            count("malformed")
            return nil
        }
        var response: JSONValue?
        do {
            switch try envelope.request(receivedAt: receivedAt) {
            case .challenge: count("challenge")
            case .ignore: count("ignored")
            case .inbound(let inbound):
                guard await store(inbound, from: envelope) else { return nil }
                response = responsePayload(for: inbound, in: envelope)
            }
        } catch {
            // Acknowledged all the same: Slack would only deliver it again, and again.
            logger.warning(
                "slack envelope not understood", metadata: ["slack.type": "\(envelope.type)", "slack.envelope": "\(envelopeID)", "error": "\(error)"])
            count("malformed")
        }
        do { return try SlackSocketEnvelope.acknowledgement(envelopeID: envelopeID, payload: response) } catch {
            logger.error("slack acknowledgement not written", metadata: ["slack.envelope": "\(envelopeID)", "error": "\(error)"])
            return nil
        }
    }

    /// - Returns: whether the inbound is stored (now, or before: a redelivery).
    private func store(_ inbound: Inbound, from envelope: SlackSocketEnvelope) async -> Bool {
        do {
            _ = try await intake.accept(inbound)
            return true
        } catch {
            logger.error(
                "slack envelope not stored; left unacknowledged for Slack to deliver again",
                metadata: ["slack.envelope": "\(envelope.envelopeID ?? "")", "chatops.dedupe": "\(inbound.dedupeKey)", "error": "\(error)"])
            return false
        }
    }

    /// `in_channel` for a slash command the sender may run, as over HTTP (see `PublicAcknowledgement`).
    private func responsePayload(for inbound: Inbound, in envelope: SlackSocketEnvelope) -> JSONValue? {
        guard envelope.type == SlackSocketEnvelope.slashCommands, envelope.acceptsResponsePayload, let text = inbound.text,
            PublicAcknowledgement.isPublic(text: text, sender: inbound.sender, parser: parser, roles: roles)
        else { return nil }
        return ["response_type": "in_channel"]
    }

    private func count(_ outcome: String) {
        Counter(label: "chatops_inbound_total", dimensions: [("platform", SlackInboundDecoder.platform), ("outcome", outcome)]).increment()
    }

    /// Slack's refusals of the app-level token, which `SlackAPIError.explain` words for the bot token.
    static let tokenRefusals: Set<String> = ["invalid_auth", "not_authed", "not_allowed_token_type", "token_revoked", "missing_scope"]

    private static func metadata(of error: any Error) -> Logger.Metadata {
        guard let refusal = error as? SlackAPIError, tokenRefusals.contains(refusal.code) else { return ["error": "\(error)"] }
        return ["slack.error": "\(refusal.code)", "hint": "slack.app_token must be an app-level token (xapp-…) with the connections:write scope"]
    }
}

/// What one connection came to: whether Slack greeted it, and the `disconnect` that ended it.
actor SlackSocketSession {
    struct End: Sendable {
        /// The reason Slack gives when Socket Mode was turned off in the app's settings.
        static let linkDisabled = "link_disabled"
        var greeted: Bool
        var disconnect: String?
        /// A `disconnect` asks for a new connection now (`refresh_requested`, `warning`); `link_disabled` waits.
        var reconnectsAtOnce: Bool { disconnect.map { $0 != Self.linkDisabled } ?? false }
        var reason: String { disconnect ?? (greeted ? "dropped" : "failed") }
    }

    private var greeted = false
    private var disconnect: String?

    func greet() { greeted = true }
    func disconnected(reason: String) { disconnect = reason }
    var end: End { End(greeted: greeted, disconnect: disconnect) }
}
