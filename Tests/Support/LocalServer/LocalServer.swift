import Hummingbird

/// Runs test doubles of remote APIs (Slack's Web API, an OpenAI-compatible server) on a free
/// loopback port for the length of a test.
public enum LocalServer {
    /// Starts `router` on 127.0.0.1 with a port the system picks, runs `body` with that port, then stops.
    public static func run<T: Sendable>(
        _ router: Router<BasicRequestContext>, _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
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
