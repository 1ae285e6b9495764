import ChatOpsCore
import Hummingbird
import NIOCore

/// What one request may cost before anything in it is trusted: its body's size, and how long the
/// body may take to arrive (a client sending a byte now and then cannot hold a connection).
struct RequestLimits: Sendable {
    /// Larger bodies are refused with 413.
    var maxBodyBytes: Int
    /// The whole body must arrive within this; otherwise 408.
    var readTimeout: Duration

    /// The request's body, within the limits.
    func body(of request: Request) async throws -> ByteBuffer {
        do {
            return try await withDeadline(readTimeout) { try await request.body.collect(upTo: maxBodyBytes) }
        } catch is DeadlineExceeded {
            throw HTTPError(.requestTimeout, message: "the request body did not arrive in time")
        }
    }
}
