import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import GRDB
import HummingbirdTesting
import Logging

/// A bot served in-process through its router, on a configuration of its own in a fresh folder:
/// what platform route tests share.
protocol RoutedBot {
    var directory: URL { get }
    var runtime: BotRuntime { get }
}

extension RoutedBot {
    /// A fresh folder with `chatops.yaml` holding `yaml`, and the bot made from it.
    static func make(_ yaml: String, named name: String) throws -> (directory: URL, runtime: BotRuntime) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = directory.appendingPathComponent("chatops.yaml")
        try yaml.write(to: configuration, atomically: true, encoding: .utf8)
        return (directory, try BotRuntime.make(configPath: configuration.path, logger: Logger(label: "test")))
    }

    /// Runs `test` against the bot's router.
    func serve(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await runtime.buildApplication(prometheus: nil, port: 0).test(.router) { client in try await test(client) }
    }

    /// The inbounds stored as jobs, oldest first, whatever state a worker left their jobs in.
    func storedInbounds() throws -> [Inbound] {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        let database = try DatabaseQueue(path: directory.appendingPathComponent("bot.sqlite").path, configuration: configuration)
        let payloads = try database.read { db in try String.fetchAll(db, sql: "SELECT payload FROM jobs ORDER BY created_at, rowid") }
        return try payloads.compactMap { payload in
            guard case .inbound(let inbound) = try JSONDecoder().decode(JobPayload.self, from: Data(payload.utf8)) else { return nil }
            return inbound
        }
    }

    /// The audit entries of refused requests.
    func rejections() async throws -> [AuditEvent] {
        try await runtime.store.auditEvents().filter { $0.kind == "auth.rejected" }
    }
}
