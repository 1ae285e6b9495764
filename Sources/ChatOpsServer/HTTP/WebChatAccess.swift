import ChatOpsCore
import ChatPlatforms
import Crypto
import Foundation
import Hummingbird

/// Who may use the web chat and how a request says who it is.
enum WebChatAccess: Sendable {
    /// A loopback-only web chat without tokens: the person at the machine names themselves, as in
    /// `chatops shell`. Names the bot uses are refused.
    case local(reserved: Set<String>)
    /// Per-user bearer tokens, kept as SHA-256 digests: the token's owner is the sender.
    case tokens(digests: [(user: String, digest: [UInt8])])

    init(_ webchat: BotConfiguration.WebChat, botNames: [String]) {
        if webchat.users.isEmpty {
            self = .local(reserved: Set(botNames.map { $0.lowercased() } + [WebChatPlatform.botAuthor]))
        } else {
            self = .tokens(digests: webchat.users.sorted { $0.key < $1.key }.map { ($0.key, Self.bytes(hex: $0.value.tokenSHA256)) })
        }
    }

    /// The owner of `token`. Every digest is compared in constant time, so timing tells nothing.
    func user(presenting token: String) -> String? {
        guard case .tokens(let digests) = self, !token.isEmpty else { return nil }
        let presented = Array(SHA256.hash(data: Data(token.utf8)))
        var owner: String?
        for entry in digests where ConstantTime.equals(entry.digest, presented) { owner = entry.user }
        return owner
    }

    /// The sender of a request: the verified token owner, or on a local web chat the named user.
    func principal(verified: String?, named: String?) throws -> Principal {
        let named = named?.trimmingCharacters(in: .whitespaces)
        switch self {
        case .tokens:
            guard let verified else { throw HTTPError(.unauthorized, message: "missing or wrong bearer token") }
            if let named, !named.isEmpty, named != verified {
                throw HTTPError(.forbidden, message: "`user` must be your own id (\(verified)) or left out")
            }
            return Principal(platform: WebChatPlatform.platformName, userID: verified)
        case .local(let reserved):
            guard let named, !named.isEmpty else { throw HTTPError(.badRequest, message: "`user` is required") }
            if let problem = WebChatUserRules.problem(with: named, reserved: reserved) { throw HTTPError(.badRequest, message: problem) }
            return Principal(platform: WebChatPlatform.platformName, userID: named)
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), index < hex.endIndex {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
