import ChatOpsCore
import ChatOpsStore
import Hummingbird
import NIOCore

/// What one request may cost before anything in it is trusted: its body's size, and how long the
/// body may take to arrive (a client sending a byte now and then cannot hold a connection).
struct RequestLimits: Sendable {
    /// Larger bodies are refused with 413.
    var maxBodyBytes: Int
    /// The whole body must arrive within this; otherwise 408.
    var readTimeout: Duration

    /// The request's body, within the limits. A body that is late is answered 408 at once: its read is
    /// cancelled (which ends the connection's inbound stream) and not waited for.
    func body(of request: Request) async throws -> ByteBuffer {
        do {
            let (body, limit) = (request.body, maxBodyBytes)
            return try await withAbandoningDeadline(readTimeout) { try await body.collect(upTo: limit) }
        } catch is DeadlineExceeded {
            throw HTTPError(.requestTimeout, message: "the request body did not arrive in time")
        }
    }
}
