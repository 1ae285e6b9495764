import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PostgresFixtures
import SlackAPIDouble

/// Several `chatops serve` processes on one PostgreSQL database, each on its own port, reached as
/// a load balancer would: a request for a replica that is down goes to the next one.
final class ReplicaCluster: @unchecked Sendable {
    static let secret = "replica-signing-secret"

    let database: PostgresTestServer.Database
    let bots: [BotProcess]
    private let lock = NSLock()
    private var down: Set<Int> = []

    /// - Parameters:
    ///   - count: how many replicas.
    ///   - extraConfiguration: YAML every replica's configuration gets (the same for all).
    init(count: Int, database: PostgresTestServer.Database, extraConfiguration: String) throws {
        self.database = database
        bots = try (0..<count).map { _ in
            try BotProcess(
                extraConfiguration: extraConfiguration, store: "{postgres: {url: \"\(database.url)\", tls: disable, pool_size: 6}}",
                workers: "{count: 2, lease_seconds: 2, poll_ms: 50, max_attempts: 5}", sandbox: "{step_ms: 1}")
        }
    }

    /// Stops replica `index` with SIGKILL: it finishes nothing, releases nothing.
    func kill(_ index: Int) {
        lock.withLock { _ = down.insert(index) }
        bots[index].kill()
    }

    /// Starts replica `index` (again) and sends it traffic once it is ready.
    func start(_ index: Int) async throws {
        try await bots[index].start()
        lock.withLock { _ = down.remove(index) }
    }

    /// Posts a signed Slack request to `replica`, or to the next replica that is up.
    func post(_ request: SignedRequest, to replica: Int) async throws -> HTTPResponseStatus {
        for offset in 0..<bots.count {
            let index = (replica + offset) % bots.count
            if lock.withLock({ down.contains(index) }) { continue }
            var http = HTTPClientRequest(url: bots[index].baseURL + request.path)
            http.method = .POST
            http.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            http.headers.add(name: "X-Slack-Request-Timestamp", value: request.timestamp)
            http.headers.add(name: "X-Slack-Signature", value: request.signature)
            http.body = .bytes(ByteBuffer(string: request.body))
            guard let response = try? await HTTPClient.shared.execute(http, timeout: .seconds(10)) else { continue }
            _ = try await response.body.collect(upTo: 1 << 20)
            return response.status
        }
        throw BotProcessError("no replica answered \(request.path)")
    }

    /// Text columns of a query on the replicas' database.
    func strings(_ query: String) async throws -> [[String?]] {
        try await PostgresTestServer.strings(query, in: database)
    }

    /// One number a query returns.
    func count(_ query: String) async throws -> Int {
        Int(try await strings(query).first?.first??.description ?? "") ?? -1
    }
}

/// A Slack request signed by slack_sdk, ready to be sent (and sent again, as Slack retries).
struct SignedRequest: Sendable {
    var path: String
    var body: String
    var timestamp: String
    var signature: String

    /// Signs every body at once with the reference signer.
    static func sign(_ bodies: [(path: String, body: String)], secret: String) async throws -> [SignedRequest] {
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let signatures = try await ReferenceSigner.signAll(bodies: bodies.map(\.body), timestamp: timestamp, secret: secret)
        return zip(bodies, signatures).map { SignedRequest(path: $0.path, body: $0.body, timestamp: timestamp, signature: $1) }
    }
}
