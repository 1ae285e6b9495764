import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import Synchronization

/// Stands between the bot and a real server and lets the first `writesBeforeCrash` write requests
/// (POST, PATCH, DELETE) through; the writes after them never reach the server, as if the bot's
/// process had died between two writes.
final class CrashingProxy: Sendable {
    let upstream: String
    let writesBeforeCrash: Int
    private let writes = Mutex(0)

    init(upstream: String, writesBeforeCrash: Int) {
        self.upstream = upstream
        self.writesBeforeCrash = writesBeforeCrash
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        for method in [HTTPRequest.Method.get, .post, .patch, .delete] {
            router.on("**", method: method) { request, _ in try await self.forward(request) }
        }
        return router
    }

    private func forward(_ request: Request) async throws -> Response {
        if request.method != .get {
            let count = writes.withLock { value in
                value += 1
                return value
            }
            if count > writesBeforeCrash {
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "the process is gone")))
            }
        }
        var outgoing = HTTPClientRequest(url: upstream + request.uri.description)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        if let type = request.headers[.contentType] { outgoing.headers.add(name: "Content-Type", value: type) }
        outgoing.body = .bytes(try await request.body.collect(upTo: 1 << 20))
        let response = try await HTTPClient.shared.execute(outgoing, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Response(
            status: .init(code: Int(response.status.code)),
            headers: [.contentType: response.headers.first(name: "Content-Type") ?? "application/json"],
            body: .init(byteBuffer: body))
    }
}
