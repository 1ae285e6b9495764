import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension DiscordAPIDouble {
    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("**", method: method) { request, _ in try await self.handle(request) }
        }
        return router
    }

    /// Records the request, then answers it in Discord's order: an arranged failure, the route, the bot token, the
    /// rate limits, the body, and last the route's own work.
    private func handle(_ request: Request) async throws -> Response {
        var request = request
        // Discord's largest request is 25 MiB; a larger body makes Hummingbird answer 413.
        let bytes = Array(try await request.collectBody(upTo: 26 << 20).readableBytesView)
        let method = request.method.rawValue
        let segments = Self.segments(request.uri.path)
        let path = "/" + segments.joined(separator: "/")
        let route = request.uri.path.hasPrefix("/api/v10/") ? Route(method: method, segments) : .notFound
        let hasBody = !["GET", "DELETE"].contains(method)
        let payload = hasBody ? Payload(bytes, contentType: request.headers[.contentType]) : Payload.decoded(.null, files: [])
        let index = withState { state in
            state.calls.append(
                Call(
                    method: method, path: path, query: request.uri.query, body: payload.body, authorization: request.headers[.authorization],
                    contentType: request.headers[.contentType], userAgent: request.headers[.userAgent], status: 0))
            return state.calls.count - 1
        }
        let response = answer(route, method: method, path: path, authorization: request.headers[.authorization], payload: payload)
        withState { $0.calls[index].status = response.status.code }
        return response
    }

    private func answer(_ route: Route, method: String, path: String, authorization: String?, payload: Payload) -> Response {
        if let status = takeFailure(method: method, path: path) {
            let body = ResponseBody(byteBuffer: ByteBuffer(string: "\(status): upstream unavailable"))
            return Response(status: .init(code: status), headers: [.contentType: "text/plain"], body: body)
        }
        guard let bucket = route.bucket else {
            return route == .notFound ? Self.error(404, code: 0, "404: Not Found") : Self.error(405, code: 0, "405: Method Not Allowed")
        }
        if !route.isInteractionWebhook, authorization != "Bot \(token)" { return Self.error(401, code: 0, "401: Unauthorized") }
        switch admit(route, bucket: bucket, method: method, path: path) {
        case .refused(let response):
            return response
        case .admitted(let limitHeaders):
            var response: Response
            switch payload {
            case .refused(let refusal): response = refusal
            case .decoded(let body, let files): response = serve(route, body, files: files)
            }
            response.headers.append(contentsOf: limitHeaders)
            return response
        }
    }

    private func serve(_ route: Route, _ body: JSONValue, files: [MultipartForm.Part]) -> Response {
        switch route {
        case .createMessage(let channel): return createMessage(in: channel, body, files: files)
        case .editMessage(let channel, let id): return editMessage(id, in: channel, body, files: files)
        case .startThread(let channel, let id): return startThread(from: id, in: channel, body)
        case .editOriginal(let application, let token): return editOriginal(application: application, token: token, body, files: files)
        case .followUp(let application, let token): return followUp(application: application, token: token, body, files: files)
        case .editFollowUp(let application, let token, let id):
            return editFollowUp(id, application: application, token: token, body, files: files)
        case .putCommands(let application, let guild): return putCommands(application: application, guild: guild, body)
        case .getCommands(let application, let guild): return getCommands(application: application, guild: guild)
        case .methodNotAllowed, .notFound: return Self.error(404, code: 0, "404: Not Found")
        }
    }

    /// The status of an arranged failure for this call, if one is left.
    private func takeFailure(method: String, path: String) -> Int? {
        withState { state in
            let found = state.pendingFailures.firstIndex { Self.matches($0.pattern, method: $0.method, path, method) }
            guard let index = found else { return nil }
            let status = state.pendingFailures[index].status
            state.pendingFailures[index].remaining -= 1
            if state.pendingFailures[index].remaining <= 0 { state.pendingFailures.remove(at: index) }
            return status
        }
    }
}
