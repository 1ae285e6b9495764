import ArgumentParser
import ChatOpsCore
import Crypto
import Foundation

/// Makes a web chat token for one person: the token goes to them, only its digest into `chatops.yaml`.
struct WebChatTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webchat-token", abstract: "Print a new web chat token for a user and the line chatops.yaml needs (its SHA-256).")

    @Argument(help: "The web chat user id, as roles name it.")
    var user: String

    func run() throws {
        var generator = SystemRandomNumberGenerator()
        let token = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let digest = Hex.encode(SHA256.hash(data: Data(token.utf8)))
        print("token for \(user) (give it to them; it is not stored): \(token)")
        print("chatops.yaml:")
        print("webchat:\n  users:\n    \(user): {token_sha256: \(digest)}")
    }
}
