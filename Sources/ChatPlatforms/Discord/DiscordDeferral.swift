import ChatOpsCore

/// How an accepted interaction is deferred, over HTTP and over the Gateway alike. A slash command is
/// deferred where everyone sees it only when the sender may run it (`PublicAcknowledgement`);
/// anything else (a mistake, help, a command the sender may not run) is deferred privately: Discord
/// keeps a deferred response's visibility for the reply that fills it, so only this choice keeps the
/// answer private.
struct DiscordDeferral: Sendable {
    /// Decides which commands are deferred in the channel; without it every command is.
    let parser: CommandParser?
    let roles: RoleDirectory

    /// The decision, with a command the sender may not run deferred privately (type 5 with the
    /// ephemeral flag), and its reply token marked so, for the platform's first reply.
    func apply(to decision: WebhookDecision) -> WebhookDecision {
        guard let parser, case .accept(var inbound, _) = decision, case .message(let text) = inbound.kind,
            case .command(let token)? = DiscordReplyToken(inbound.conversation.replyToken),
            !PublicAcknowledgement.isPublic(text: text, sender: inbound.sender, parser: parser, roles: roles)
        else { return decision }
        inbound.conversation.replyToken = DiscordReplyToken.privateCommand(token).replyToken
        return .accept(inbound, acknowledgement: .json(["type": 5, "data": ["flags": 64]]))
    }
}
