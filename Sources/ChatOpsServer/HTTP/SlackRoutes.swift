import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Slack's three request URLs. Each request is verified against the signing secret before anything
/// in it is read; a failure answers 401, is audited and counted, and runs nothing. A verified
/// request is stored as a job and acknowledged at once (Slack waits at most 3 seconds).
struct SlackRoutes: Sendable {
    let store: any Store
    let settings: BotConfiguration.Slack
    let signingSecret: String
    let limits: RequestLimits
    let rejections: RejectedRequests
    /// Parses typed text; with `roles`, decides the acknowledgement of a slash command: in the channel
    /// (people see what was run) only for a command the sender may run, anything else privately
    /// (errors, refusals and help follow by `response_url`). See `SlackAcknowledgement`.
    let parser: CommandParser
    /// Who holds which role, from `roles:` in the configuration.
    let roles: RoleDirectory
    let logger: Logger
    let metrics = BotMetrics()
    static let signatureHeader = HTTPField.Name("X-Slack-Signature")!
    static let timestampHeader = HTTPField.Name("X-Slack-Request-Timestamp")!
    static let retryHeader = HTTPField.Name("X-Slack-Retry-Num")!

    func register(on router: Router<BotRequestContext>) {
        router.post(RouterPath(settings.commandsPath)) { request, _ in
            try await handle(request) { body in try SlackInboundDecoder.slashCommand(body: String(decoding: body, as: UTF8.self)) }
        }
        router.post(RouterPath(settings.eventsPath)) { request, _ in
            try await handle(request) { body in try SlackInboundDecoder.event(body: Data(body)) }
        }
        router.post(RouterPath(settings.interactivePath)) { request, _ in
            try await handle(request) { body in try SlackInboundDecoder.interaction(body: String(decoding: body, as: UTF8.self)) }
        }
    }

    private func handle(_ request: Request, decode: ([UInt8]) throws -> SlackRequest) async throws -> Response {
        // `BoundedBodyMiddleware` has read the body within the limits already; this only takes it.
        let body = Array(try await request.body.collect(upTo: limits.maxBodyBytes).readableBytesView)
        if request.uri.path == settings.commandsPath, FormURLEncoded.decode(String(decoding: body, as: UTF8.self))["ssl_check"] == "1" {
            return Response(status: .ok)
        }
        do {
            try SlackSignature.verify(
                body: body, timestamp: request.headers[Self.timestampHeader], signature: request.headers[Self.signatureHeader],
                secret: signingSecret, now: Date())
        } catch {
            await rejections.record(platform: "slack", path: request.uri.path, reason: error.rawValue)
            return Response(status: .unauthorized)
        }
        let decoded: SlackRequest
        do {
            decoded = try decode(body)
        } catch {
            // The reason is logged, not echoed: the caller learns only that the body was not understood.
            metrics.inbound(platform: "slack", outcome: "malformed")
            logger.warning("slack request not understood", metadata: ["slack.path": "\(request.uri.path)", "error": "\(error)"])
            throw HTTPError(.badRequest, message: "the request body is not a Slack request this endpoint understands")
        }
        switch decoded {
        case .challenge(let challenge):
            return try JSONBody.response(["challenge": challenge])
        case .ignore:
            metrics.inbound(platform: "slack", outcome: "ignored")
            return Response(status: .ok)
        case .inbound(let inbound):
            let duplicate = try await store.enqueue(inbound).isDuplicate
            let retry = request.headers[Self.retryHeader].map { ", retry \($0)" } ?? ""
            metrics.inbound(platform: "slack", outcome: duplicate ? "duplicate" : "accepted")
            if duplicate { logger.info("slack redelivery dropped\(retry)", metadata: ["chatops.dedupe": "\(inbound.dedupeKey)"]) }
            if request.uri.path == settings.commandsPath, let text = inbound.text,
                SlackAcknowledgement.isPublic(text: text, sender: inbound.sender, parser: parser, roles: roles)
            {
                return try JSONBody.response(["response_type": "in_channel"])
            }
            return Response(status: .ok)
        }
    }
}
