import Hummingbird
import NIOCore

/// The request context of the bot's routes: Hummingbird's, plus the connection the request came
/// on, so a request that overstays its limits can have its connection closed.
struct BotRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Reads every request's body within `RequestLimits` before any route sees it, so no route can be
/// held by a body that trickles in, including routes that never read theirs (`/healthz`) or that
/// refuse before reading (a bad token). A body that is too slow or too large is answered (408, 413)
/// and its connection closed: the rest of it is not waited for.
struct BoundedBodyMiddleware: RouterMiddleware {
    typealias Context = BotRequestContext
    let limits: RequestLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        do {
            request.body = .init(buffer: try await limits.body(of: request))
        } catch let error as HTTPError where [.requestTimeout, .contentTooLarge].contains(error.status) {
            let channel = context.channel
            channel.eventLoop.scheduleTask(in: .milliseconds(500)) { channel.close(promise: nil) }
            throw error
        }
        return try await next(request, context)
    }
}
