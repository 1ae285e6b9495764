import ChatOpsCore
import Foundation
import Logging
import Metrics
import OutboundHTTP
import ServiceLifecycle

/// The Discord Gateway (discord.com/developers/docs/topics/gateway, topics/gateway-events,
/// topics/opcodes-and-status-codes), for teams without a public HTTPS endpoint: the bot keeps a WebSocket
/// open to Discord and receives over it the messages meant for it (`DiscordGatewayMessage`) and, when the
/// application names no Interactions Endpoint URL, its slash commands and button clicks.
///
/// A connection opens at the gateway URL (`discord.gateway_url`, or `GET /gateway/bot`) with
/// `?v=10&encoding=json`. Discord says Hello with a heartbeat interval; the bot sends a heartbeat after a
/// random part of it, then one every interval, each answered with an ACK. The bot identifies with its token
/// and intents, and READY gives the session to resume later. After a dropped socket, a Reconnect (op 7), a
/// missing ACK or a resumable Invalid Session, the bot connects to READY's `resume_gateway_url` and resumes:
/// Discord replays the dispatches after the sequence number the bot sends. After a session Discord
/// invalidated, the bot waits 1 to 5 seconds and identifies anew. Close codes no retry can mend (a refused
/// token, intents not enabled) stop the service with a `DiscordGatewayError`.
///
/// Dispatches carry no acknowledgement, so the sequence number takes its place: it advances only once what
/// a dispatch carried is stored. When storing fails, the bot closes the socket and resumes from the last
/// stored dispatch, so Discord sends it again; dedupe keys drop the copies of anything stored twice.
/// Dispatches are handled one at a time, in their order. Failed connections are followed by a new attempt
/// after a backoff, which starts over once a connection reached READY or RESUMED.
struct DiscordGateway: Service {
    struct Settings: Sendable {
        /// The waits between failed connections (only `backoff(afterAttempt:)` is used: attempts never run out).
        var reconnect = RetryPolicy(maxAttempts: .max, baseDelay: .seconds(1), maxDelay: .seconds(30))
        /// How long to wait before identifying after Discord invalidated the session: Discord asks for a
        /// random wait between 1 and 5 seconds.
        var newSessionMilliseconds = 1_000...5_000
        /// After this many connections in a row that did not resume, a new session is started.
        var resumeAttempts = 5
        /// The largest message taken from Discord (GUILD_CREATE lists a whole server's channels).
        var maxMessageBytes = 8 << 20
        /// How long a closing connection waits for Discord's close frame.
        var closeTimeout: Duration = .seconds(5)
    }

    /// The REST API: `GET /gateway/bot`, thread lookups and interaction callbacks; its token identifies the bot.
    let client: DiscordRESTClient
    /// Decides how an interaction is acknowledged, as the Interactions Endpoint URL would.
    /// How interactions are deferred, as the endpoint would.
    let deferral: DiscordDeferral
    let intake: any InboundIntake
    let session: DiscordGatewaySession
    let threads: DiscordThreadDirectory
    let settings: Settings
    let logger: Logger

    /// - Parameter gatewayURL: the Gateway's URL without its query; nil: asked of `GET /gateway/bot`.
    init(
        client: DiscordRESTClient, gatewayURL: String?, deferral: DiscordDeferral, intake: any InboundIntake, logger: Logger,
        settings: Settings = Settings()
    ) {
        self.client = client
        self.deferral = deferral
        self.intake = intake
        self.session = DiscordGatewaySession(gatewayURL: gatewayURL)
        self.threads = DiscordThreadDirectory(client: client, logger: logger)
        self.settings = settings
        self.logger = logger
    }

    /// Keeps a connection until the task is cancelled or the service group shuts down.
    /// - Throws: `DiscordGatewayError` when Discord refuses the bot for good.
    func run() async throws {
        if let failure = await cancelWhenGracefulShutdown({ await self.keepConnected() }) { throw failure }
    }

    /// - Returns: why the Gateway stopped for good; nil when the task was cancelled.
    private func keepConnected() async -> DiscordGatewayError? {
        var failures = 0
        while !Task.isCancelled {
            let outcome = await connectOnce()
            guard !Task.isCancelled else { return nil }
            if case .fatal(let error) = outcome.ending {
                logger.error("discord gateway stopped: Discord refuses the bot", metadata: ["discord.code": "\(error.code)", "reason": "\(error)"])
                return error
            }
            Counter(label: "chatops_discord_gateway_reconnects_total", dimensions: [("reason", outcome.ending.reason)]).increment()
            // A healthy connection starts the backoff afresh; one that could not store what it received
            // (the store is down) keeps it growing, or the bot would resume once a second until the store returns.
            if outcome.ready, outcome.ending != .notStored { failures = 0 }
            // Only a connection that became ready reconnects at once, so a refusal right after connecting cannot spin.
            if outcome.ready, outcome.ending == .reconnect { continue }
            failures += 1
            if outcome.ending.startsNewSession || failures > settings.resumeAttempts { await session.forget() }
            var wait = settings.reconnect.backoff(afterAttempt: failures)
            if outcome.ending.startsNewSession { wait = max(wait, .milliseconds(Int.random(in: settings.newSessionMilliseconds))) }
            logger.warning("discord gateway connecting again", metadata: ["discord.reason": "\(outcome.ending.reason)", "chatops.wait": "\(wait)"])
            do { try await Task.sleep(for: wait) } catch { return nil }
        }
        return nil
    }

    func count(_ outcome: String) {
        Counter(label: "chatops_inbound_total", dimensions: [("platform", DiscordInteractionDecoder.platform), ("outcome", outcome)]).increment()
    }
}
