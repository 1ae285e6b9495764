import ChatOpsCore
import Crypto
import Foundation

extension DiscordPlatform {
    /// The route of an interaction's deferred response.
    func originalPath(_ token: String) -> String {
        "/webhooks/\(client.settings.applicationID)/\(token)/messages/@original"
    }

    /// Fills a command's deferred response with a reply (it keeps the deferral's visibility).
    /// - Returns: the message's id; `ephemeral` when the command was deferred privately, as such a
    ///   message cannot be edited with the bot token.
    func fillDeferredResponse(_ token: DiscordReplyToken, with message: DiscordMessage.Rendered) async throws -> String {
        var message = message
        message.body["flags"] = nil
        let answer = try await send(.PATCH, originalPath(token.token), message)
        if case .privateCommand = token { return Self.ephemeralID }
        return answer?["id"]?.string ?? ""
    }

    /// Posts a private follow-up of an interaction; it cannot be edited later.
    func followUp(_ token: String, _ message: DiscordMessage.Rendered) async throws -> String {
        var message = message
        message.body["flags"] = .number(64)
        try await send(.POST, "/webhooks/\(client.settings.applicationID)/\(token)", message)
        return Self.ephemeralID
    }

    /// Posts in a channel or thread with the bot token, with a nonce made from the idempotency key
    /// that Discord enforces: a retried post returns the message the first one made.
    /// - Returns: the message's id.
    func createMessage(_ message: DiscordMessage.Rendered, in channel: String, key: String) async throws -> String {
        var message = message
        message.body["flags"] = nil
        message.body["nonce"] = .string(Self.nonce(for: key))
        message.body["enforce_nonce"] = .bool(true)
        let answer = try await send(.POST, "/channels/\(channel)/messages", message)
        return answer?["id"]?.string ?? ""
    }

    /// Sends a rendered message: as JSON, or with its attachment as `result.txt`.
    @discardableResult
    func send(_ method: DiscordRESTClient.Method, _ path: String, _ message: DiscordMessage.Rendered) async throws -> JSONValue? {
        let file = message.attachment.map { DiscordRESTClient.File(name: DiscordMessage.attachmentName, bytes: Array($0.utf8)) }
        return try await client.send(method, path, json: message.body, file: file)
    }

    /// Discord's `nonce` for a reply (at most 25 characters): the start of the key's SHA-256, in hex.
    static func nonce(for key: String) -> String {
        String(sha256Hex(key).prefix(25))
    }

    static func sha256Hex(_ text: String) -> String {
        Hex.encode(SHA256.hash(data: Data(text.utf8)))
    }
}
