import Foundation

/// The official Python `slack_sdk` as an independent reference for Slack request signatures.
/// `scripts/test` installs it and sets `CHATOPS_SLACK_PYTHON` to that interpreter.
public enum ReferenceSigner {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    static var python: String {
        get throws {
            guard let path = ProcessInfo.processInfo.environment["CHATOPS_SLACK_PYTHON"], FileManager.default.isExecutableFile(atPath: path) else {
                throw Missing(description: "CHATOPS_SLACK_PYTHON is not set to a Python with slack_sdk; run the tests with scripts/test")
            }
            return path
        }
    }

    /// `SignatureVerifier(secret).generate_signature(timestamp:, body:)`.
    public static func sign(body: String, timestamp: String, secret: String) async throws -> String {
        try await run(
            """
            import sys
            from slack_sdk.signature import SignatureVerifier
            print(SignatureVerifier(sys.argv[1]).generate_signature(timestamp=sys.argv[2], body=sys.stdin.read()), end="")
            """, arguments: [secret, timestamp], input: body)
    }

    /// `generate_signature` for many bodies at once, in one Python process (one body per line, so a
    /// body must not hold a newline: form-encoded bodies do not).
    public static func signAll(bodies: [String], timestamp: String, secret: String) async throws -> [String] {
        let output = try await run(
            """
            import sys
            from slack_sdk.signature import SignatureVerifier
            verifier = SignatureVerifier(sys.argv[1])
            for line in sys.stdin.read().split("\\n"):
                if line: print(verifier.generate_signature(timestamp=sys.argv[2], body=line))
            """, arguments: [secret, timestamp], input: bodies.joined(separator: "\n") + "\n")
        let signatures = output.split(separator: "\n").map(String.init)
        guard signatures.count == bodies.count else { throw Missing(description: "slack_sdk signed \(signatures.count) of \(bodies.count) bodies") }
        return signatures
    }

    /// `SignatureVerifier(secret, clock=now).is_valid(body, timestamp, signature)`.
    public static func isValid(body: String, timestamp: String, signature: String, secret: String, now: Double) async throws -> Bool {
        try await run(
            """
            import sys
            from slack_sdk.signature import SignatureVerifier
            class Clock:
                def now(self): return float(sys.argv[4])
            print(SignatureVerifier(sys.argv[1], clock=Clock()).is_valid(sys.stdin.read(), sys.argv[2], sys.argv[3]), end="")
            """, arguments: [secret, timestamp, signature, String(now)], input: body) == "True"
    }

    private static func run(_ script: String, arguments: [String], input: String) async throws -> String {
        let python = try python
        return try await ProcessLauncher.offThePool { try runBlocking(python, script, arguments: arguments, input: input) }
    }

    private static func runBlocking(_ python: String, _ script: String, arguments: [String], input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try ProcessLauncher.run(process)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Missing(description: "slack_sdk reference signer failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
