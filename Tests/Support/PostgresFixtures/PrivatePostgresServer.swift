import ChildProcesses
import Foundation

/// A PostgreSQL server of one test's own, for tests that stop and start the database under load
/// (stopping the shared server would fail every other test that uses it). It is made with the
/// binaries next to `CHATOPS_POSTGRES_CTL` (which `scripts/test` sets), run as the `postgres` user
/// as `initdb` requires, with trust authentication on loopback only.
public final class PrivatePostgresServer: @unchecked Sendable {
    public let port: Int
    /// `postgres://postgres@127.0.0.1:PORT/postgres`
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }
    private let folder: String
    private let binaries: String

    /// Makes the data folder and starts the server.
    public init() async throws {
        guard let control = ProcessInfo.processInfo.environment["CHATOPS_POSTGRES_CTL"] else {
            throw PostgresTestServer.Unavailable(description: "CHATOPS_POSTGRES_CTL is not set: run the tests with scripts/test")
        }
        binaries = URL(fileURLWithPath: control).deletingLastPathComponent().path
        folder = "/tmp/chatops-private-postgres-\(UUID().uuidString.prefix(8))"
        port = Int.random(in: 20_000..<60_000)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try await Self.shell("chown postgres: \(folder)")
        try await asPostgres("\(binaries)/initdb -D \(folder)/data -A trust -U postgres --no-sync")
        try await start()
    }

    /// Runs `body` with a server of its own, removed afterwards whether `body` succeeded or not.
    public static func with<T>(_ body: (PrivatePostgresServer) async throws -> T) async throws -> T {
        let server = try await PrivatePostgresServer()
        do {
            let result = try await body(server)
            await server.remove()
            return result
        } catch {
            await server.remove()
            throw error
        }
    }

    /// Starts the server and waits until it accepts connections.
    public func start() async throws {
        try await asPostgres(
            "\(binaries)/pg_ctl -D \(folder)/data -l \(folder)/server.log -w -o '-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off' start"
        )
    }

    /// Stops the server at once (`-m immediate`: connections are cut, as when the database goes away).
    public func stop() async throws {
        try await asPostgres("\(binaries)/pg_ctl -D \(folder)/data -m immediate -w stop")
    }

    /// Stops the server and removes its data.
    public func remove() async {
        try? await stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func asPostgres(_ command: String) async throws {
        try await Self.shell("su postgres -s /bin/sh -c \"\(command)\" >>\(folder)/control.log 2>&1")
    }

    /// Runs a shell command to its end on a thread of its own, off the concurrency pool.
    private static func shell(_ command: String) async throws {
        let status = try await ProcessLauncher.offThePool {
            // Through Python, which closes every other descriptor in its child: the server that pg_ctl leaves running
            // must not inherit the pipe by which Foundation learns that its child exited, or the wait never ends.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1], shell=True).returncode)", command]
            try ProcessLauncher.run(process)
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard status == 0 else { throw PostgresTestServer.Unavailable(description: "`\(command)` failed with status \(status)") }
    }
}
