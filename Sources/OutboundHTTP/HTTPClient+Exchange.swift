import AsyncHTTPClient
import ChatOpsCore
import NIOCore
import NIOHTTP1

/// A request's whole answer: status, headers and body, read within one deadline.
public struct HTTPExchange: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer
    /// True when the body was longer than allowed and was cut (with `BodyLimit.truncate`).
    public var truncated: Bool
}

/// What to do with an answer longer than the limit.
public enum BodyLimit: Sendable {
    /// Fail: the answer is not what was expected.
    case fail(bytes: Int)
    /// Keep the start: the request has had its effect whatever the answer's size.
    case truncate(bytes: Int)
}

extension HTTPClient {
    /// Sends `request` and reads its answer, all within `timeout`.
    ///
    /// AsyncHTTPClient's own deadline ends when the headers arrive; a server that sends its headers
    /// and then stalls would hold the caller forever. Here the deadline covers the body too: when it
    /// passes, the exchange is cancelled and `DeadlineExceeded` is thrown.
    public func exchange(_ request: HTTPClientRequest, timeout: Duration, limit: BodyLimit) async throws -> HTTPExchange {
        try await withDeadline(timeout) {
            let response = try await self.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            switch limit {
            case .fail(let bytes):
                let body = try await response.body.collect(upTo: bytes)
                return HTTPExchange(status: response.status, headers: response.headers, body: body, truncated: false)
            case .truncate(let bytes):
                var kept = ByteBuffer()
                var truncated = false
                for try await var chunk in response.body {
                    let room = bytes - kept.readableBytes
                    if chunk.readableBytes > room { truncated = true }
                    if room > 0, var slice = chunk.readSlice(length: min(room, chunk.readableBytes)) { kept.writeBuffer(&slice) }
                }
                return HTTPExchange(status: response.status, headers: response.headers, body: kept, truncated: truncated)
            }
        }
    }
}
