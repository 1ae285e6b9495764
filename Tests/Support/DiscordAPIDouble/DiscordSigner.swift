import Foundation
import SlackAPIDouble

/// Signs Discord interaction requests as Discord does, independently of the bot's verifier: Ed25519 over the
/// `X-Signature-Timestamp` value's bytes followed by the raw body, hex-encoded into `X-Signature-Ed25519`
/// (discord-api-docs, interactions/overview.mdx, Validating Security Request Headers). The keys and signatures come from PyNaCl
/// (libsodium, from PyPI) in the Python that `scripts/test` prepares and names in `CHATOPS_SLACK_PYTHON`, beside slack_sdk.
/// Its processes start through `ProcessLauncher`, which starts one child process at a time.
public struct DiscordSigner: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The 32-byte private seed, hex.
    public let seedHex: String
    /// The 32-byte public key, hex, as the Developer Portal shows an application's.
    public let publicKeyHex: String

    public init(seedHex: String, publicKeyHex: String) {
        self.seedHex = seedHex
        self.publicKeyHex = publicKeyHex
    }

    /// A fresh key pair: `nacl.signing.SigningKey.generate()`.
    public static func generate() async throws -> DiscordSigner {
        let output = try await run(
            """
            import nacl.signing
            key = nacl.signing.SigningKey.generate()
            print(key.encode().hex(), key.verify_key.encode().hex(), end="")
            """, arguments: [], input: nil)
        let keys = output.split(separator: " ").map(String.init)
        guard keys.count == 2, keys.allSatisfy({ $0.count == 64 }) else { throw Failure(description: "PyNaCl printed no key pair: \(output)") }
        return DiscordSigner(seedHex: keys[0], publicKeyHex: keys[1])
    }

    /// The hex signature of `timestamp` followed by `body` (UTF-8).
    public func sign(body: String, timestamp: String) async throws -> String {
        try await Self.run(
            """
            import sys, nacl.signing
            key = nacl.signing.SigningKey(bytes.fromhex(sys.argv[1]))
            print(key.sign(sys.argv[2].encode() + sys.stdin.buffer.read()).signature.hex(), end="")
            """, arguments: [seedHex, timestamp], input: body)
    }

    /// The two headers Discord sends with an interaction.
    public func headers(body: String, timestamp: String) async throws -> [String: String] {
        let signature = try await sign(body: body, timestamp: timestamp)
        return ["X-Signature-Ed25519": signature, "X-Signature-Timestamp": timestamp]
    }

    /// The interpreter, checked once to import PyNaCl before any body is written to one.
    private static let interpreter: Result<String, Failure> = {
        guard let path = ProcessInfo.processInfo.environment["CHATOPS_SLACK_PYTHON"], FileManager.default.isExecutableFile(atPath: path) else {
            return .failure(Failure(description: "CHATOPS_SLACK_PYTHON is not set to a Python with PyNaCl; run the tests with scripts/test"))
        }
        guard let probe = try? DiscordSigner.launch(path, script: "import nacl.signing", arguments: [], input: nil), probe.status == 0 else {
            return .failure(Failure(description: "PyNaCl is missing from \(path); run scripts/test, which installs pynacl==1.6.2 there"))
        }
        return .success(path)
    }()

    private static func run(_ script: String, arguments: [String], input: String?) async throws -> String {
        let python = try interpreter.get()
        let result = try await ProcessLauncher.offThePool { try launch(python, script: script, arguments: arguments, input: input) }
        guard result.status == 0 else { throw Failure(description: "PyNaCl signer failed (status \(result.status)): \(result.errors)") }
        return result.output
    }

    private static func launch(
        _ python: String, script: String, arguments: [String], input: String?
    ) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try ProcessLauncher.run(process)
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}
