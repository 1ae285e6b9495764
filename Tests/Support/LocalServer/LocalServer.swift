import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// Runs test doubles of remote APIs (Slack's Web API and Socket Mode, Discord's REST API and Gateway,
/// an OpenAI-compatible server) on a free loopback port for the length of a test.
public enum LocalServer {
    /// Starts `router` on 127.0.0.1 with a port the system picks, runs `body` with that port, then stops.
    public static func run<T: Sendable>(
        _ router: Router<BasicRequestContext>, _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        try await run(body) { onServerRunning in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: onServerRunning)
        }
    }

    /// Starts `router` with `webSockets` upgrading the requests they take, as `run` does.
    public static func run<T: Sendable, Context: WebSocketRequestContext>(
        _ router: Router<BasicRequestContext>, webSockets: Router<Context>, _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        let webSocket = WebSocketServerConfiguration(maxFrameSize: 1 << 20, autoPing: .disabled, closeTimeout: .seconds(1))
        return try await run(body) { onServerRunning in
            Application(
                router: router, server: .http1WebSocketUpgrade(webSocketRouter: webSockets, configuration: .init(ws: webSocket)),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: onServerRunning)
        }
    }

    private static func run<T: Sendable>(
        _ body: @Sendable (_ port: Int) async throws -> T,
        application: (_ onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> some ApplicationProtocol
    ) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = application { channel in continuation.yield(channel.localAddress?.port ?? 0) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            let result = try await body(await iterator.next() ?? 0)
            group.cancelAll()
            return result
        }
    }
}

/// The request context of a double's WebSocket routes: it keeps the connection's channel, so a test
/// can cut the TCP connection without a WebSocket close, as a network failure would.
public struct ChannelKeepingContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}
