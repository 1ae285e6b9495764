import ChatOpsCore
import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The one webhook path every platform's endpoints share. The body is read within the limits
/// (`BoundedBodyMiddleware`), the platform verifies and decodes it, and then what every platform
/// needs is done here: a refusal is answered 401, audited (bounded) and counted, with nothing read;
/// a body that is not understood gets 400 and the server goes on; an inbound is stored as a job
/// before the acknowledgement leaves, so an acknowledged request is never lost.
struct WebhookRoutes: Sendable {
    let endpoints: [any WebhookEndpoint]
    let intake: StoreIntake
    let limits: RequestLimits
    let rejections: RejectedRequests
    let logger: Logger
    let metrics = BotMetrics()

    func register(on router: Router<BotRequestContext>) {
        for endpoint in endpoints {
            router.post(RouterPath(endpoint.path)) { request, _ in try await handle(request, at: endpoint) }
        }
    }

    private func handle(_ request: Request, at endpoint: any WebhookEndpoint) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: limits.maxBodyBytes).readableBytesView)
        var headers: [String: String] = [:]
        for field in request.headers where headers[field.name.canonicalName] == nil { headers[field.name.canonicalName] = field.value }
        let received = WebhookRequest(path: endpoint.path, headers: headers, body: body)
        let decision: WebhookDecision
        do {
            decision = try await endpoint.receive(received)
        } catch {
            // The reason is logged, not echoed: the caller learns only that the body was not understood.
            metrics.inbound(platform: endpoint.platform, outcome: "malformed")
            logger.warning("\(endpoint.platform) request not understood", metadata: ["chatops.path": "\(endpoint.path)", "error": "\(error)"])
            throw HTTPError(.badRequest, message: "the request body is not a \(endpoint.platform) request this endpoint understands")
        }
        switch decision {
        case .unauthorized(let reason):
            await rejections.record(platform: endpoint.platform, path: endpoint.path, reason: reason)
            return Response(status: .unauthorized)
        case .answer(let response, let note):
            metrics.inbound(platform: endpoint.platform, outcome: note)
            return Self.response(response)
        case .accept(let inbound, let acknowledgement):
            _ = try await intake.accept(inbound)
            return Self.response(acknowledgement)
        }
    }

    static func response(_ answer: WebhookResponse) -> Response {
        var headers = HTTPFields()
        if let type = answer.contentType { headers[.contentType] = type }
        return Response(status: .init(code: answer.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
