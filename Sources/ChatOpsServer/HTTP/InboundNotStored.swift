import HTTPTypes
import Hummingbird
import NIOCore

/// The store could not take an inbound (the database is gone or refused the write): the request
/// is answered 503 with `Retry-After`, so the platform delivers it again, and never acknowledged
/// as if it were kept.
struct InboundNotStored: HTTPResponseError {
    /// Seconds the platform is asked to wait before it delivers again.
    static let retryAfterSeconds = 1

    var status: HTTPResponse.Status { .serviceUnavailable }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status, headers: [.retryAfter: "\(Self.retryAfterSeconds)", .contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "not stored; deliver it again\n")))
    }
}
