import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SlackAPIDouble
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `chatops serve` binary, started in a temporary folder with its own configuration.
final class BotProcess: @unchecked Sendable {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The binary under test: `CHATOPS_BINARY`, or the debug build in this checkout.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["CHATOPS_BINARY"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.appendingPathComponent(".build/debug/chatops")
    }

    let directory: URL
    /// The server's port: free when it was picked; a new one is picked if another socket took it first.
    private(set) var port: Int
    private var process: Process?

    /// - Parameters:
    ///   - extraConfiguration: YAML appended to the configuration.
    ///   - commands: the command folder (the repository's by default).
    ///   - serverSettings: more keys of `server:`, such as `, idle_timeout_ms: 500`.
    ///   - store: the `store:` section (a SQLite file in the bot's folder by default).
    ///   - workers: the `workers:` section.
    ///   - sandbox: the `sandbox:` section.
    init(
        extraConfiguration: String = "", commands: URL? = nil, serverSettings: String = "", store: String = "{sqlite: state/bot.sqlite}",
        workers: String = "{count: 2, lease_seconds: 2, poll_ms: 50, max_attempts: 5}", sandbox: String = "{step_ms: 250}"
    ) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw BotProcessError("the chatops binary is missing at \(Self.binary.path); run `swift build` first (scripts/test does)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let yaml = """
            commands: \((commands ?? Self.repositoryRoot.appendingPathComponent("commands")).path)
            server: {host: 127.0.0.1, port: \(port)\(serverSettings)}
            store: \(store)
            workers: \(workers)
            sandbox: \(sandbox)
            roles:
              ml-engineer: {users: [alice, U_ALICE]}
              ml-lead: {users: [bob, U_ALICE, U_BOB]}
            \(extraConfiguration)
            """
        try yaml.write(to: configURL, atomically: true, encoding: .utf8)
    }

    var configURL: URL { directory.appendingPathComponent("chatops.yaml") }

    /// Everything every start of this bot logged, oldest start first.
    func log() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("serve-") }.sorted()
        return try names.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }.joined()
    }

    /// The `llm:` section for the local model `scripts/test` starts: one model for summaries
    /// (streamed every 300 ms) and for plain-words requests.
    static func languageModelConfiguration() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_LLM_URL"] else {
            throw BotProcessError("CHATOPS_LLM_URL is not set: run the tests with scripts/test, which starts the local model server")
        }
        return languageModelConfiguration(url: url, model: "smollm2")
    }

    /// The `llm:` section for a model server at `url` that writes summaries and reads plain words.
    static func languageModelConfiguration(url: String, model: String) -> String {
        """
        llm:
          models: {small: {base_url: "\(url)", model: \(model)}}
          summary_model: small
          intent_model: small
          timeout_ms: 30000
          stream_interval_ms: 300
        """
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server and waits until `/readyz` answers. A port that another socket took between
    /// being picked and being bound (an outgoing connection's local port) is replaced, up to 3 times.
    func start() async throws {
        for attempt in 1...3 {
            do {
                return try await startOnce()
            } catch let error as BotProcessError where attempt < 3 && error.description.contains("Address already in use") {
                let config = try String(contentsOf: configURL, encoding: .utf8)
                let next = try Self.freePort()
                try config.replacingOccurrences(of: "port: \(port)", with: "port: \(next)").write(to: configURL, atomically: true, encoding: .utf8)
                port = next
            }
        }
    }

    private func startOnce() async throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--config", configURL.path, "--log-format", "json"]
        let log = directory.appendingPathComponent("serve-\(Date().timeIntervalSince1970).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try ProcessLauncher.run(process)
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard process.isRunning else { throw BotProcessError("chatops serve exited: \(try String(contentsOf: log, encoding: .utf8))") }
            // Ready only once this process says it listens on the port: another test's server that
            // took the same free port must not answer for it.
            let listening = (try? String(contentsOf: log, encoding: .utf8))?.contains("Server started and listening on 127.0.0.1:\(port)") == true
            let probe = HTTPClientRequest(url: "\(baseURL)/readyz")
            if listening, let response = try? await HTTPClient.shared.execute(probe, timeout: .milliseconds(500)), response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BotProcessError("chatops serve did not become ready within 30 s")
    }

    /// Sends SIGKILL: no graceful shutdown, no chance to finish anything.
    func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends SIGTERM and returns the exit status, waiting for the graceful shutdown off the concurrency pool.
    func terminate() async -> Int32 {
        guard let process else { return -1 }
        process.terminate()
        return
            (try? await ProcessLauncher.offThePool {
                process.waitUntilExit()
                return process.terminationStatus
            }) ?? -1
    }

    /// Runs another `chatops` subcommand against the same configuration.
    /// Runs `chatops <arguments> --config <this bot's file>` to its end, waiting off the concurrency
    /// pool: a test double in this process must go on answering the command while it runs.
    func runCLI(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let (binary, config) = (Self.binary, configURL.path)
        return try await ProcessLauncher.output(of: binary, arguments + ["--config", config])
    }

    deinit {
        if process?.isRunning == true { kill() }
        try? FileManager.default.removeItem(at: directory)
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw BotProcessError("no free port") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct BotProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
