import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension DiscordGatewayDouble {
    /// The REST routes the Gateway needs, under `/api/v10`: `GET /gateway/bot` and `GET /channels/{id}` with the bot
    /// token, and the interaction callbacks, whose token in the path is the credential.
    func apiRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("api/v10/gateway/bot") { request, _ -> Response in
            guard self.isBot(request) else { return Self.unauthorized }
            let limits: JSONValue = ["total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1]
            return Self.json(["url": .string(self.gatewayURL), "shards": 1, "session_start_limit": limits])
        }
        router.get("api/v10/channels/:id") { request, context -> Response in
            guard self.isBot(request) else { return Self.unauthorized }
            let id = context.parameters.get("id") ?? ""
            guard let channel = self.withState({ $0.channels[id] }) else {
                return Self.json(["message": "Unknown Channel", "code": 10003], status: .notFound)
            }
            return Self.json(channel)
        }
        router.post("api/v10/interactions/:id/:token/callback") { request, context -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let body = (try? JSONDecoder().decode(JSONValue.self, from: Data(bytes.readableBytesView))) ?? .null
            let callback = Callback(
                interactionID: context.parameters.get("id") ?? "", token: context.parameters.get("token") ?? "", body: body, at: Date())
            self.withState { $0.callbacks.append(callback) }
            return Response(status: .noContent)
        }
        return router
    }

    private func isBot(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bot \(token)"
    }

    static var unauthorized: Response { json(["message": "401: Unauthorized", "code": 0], status: .unauthorized) }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text(value))))
    }
}
