/// Why the Gateway stopped for good: Discord refused the bot token, or closed the connection with a code
/// that no retry can mend (discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes,
/// "Reconnect: false"). The service ends with it rather than trying again and again.
public struct DiscordGatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The close code, or the HTTP status of a refused `GET /gateway/bot`.
    public var code: Int
    public var description: String

    /// The error a close code means; nil for the codes after which the bot connects again.
    init?(closeCode: Int) {
        let portal = "Discord Developer Portal, your application"
        switch closeCode {
        case 4004: self.description = "Discord refused the bot token (4004): copy discord.bot_token again from the \(portal), Bot → Reset Token"
        case 4010: self.description = "Discord refused the shard the bot sent (4010)"
        case 4011: self.description = "Discord asks for sharding (4011): the bot is in too many servers for one Gateway connection"
        case 4012: self.description = "Discord refused the Gateway API version (4012)"
        case 4013: self.description = "Discord refused the intents the bot asked for (4013)"
        case 4014:
            self.description =
                "the Message Content intent is not enabled for this application (4014): turn on Message Content Intent in the "
                + "\(portal), Bot → Privileged Gateway Intents"
        default: return nil
        }
        self.code = closeCode
    }

    /// `GET /gateway/bot` answered 401: the bot token is wrong or was reset.
    init(refusal: DiscordAPIError) {
        self.code = refusal.status
        self.description = "Discord refused the bot token (HTTP \(refusal.status) on GET /gateway/bot): \(refusal.explanation)"
    }

    /// Close codes after which the session cannot be resumed and a new one is started: not authenticated
    /// (4003), invalid sequence (4007), session timed out (4009).
    static let newSessionCloseCodes: Set<Int> = [4003, 4007, 4009]
}
