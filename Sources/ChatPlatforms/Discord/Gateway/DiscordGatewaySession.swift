/// What outlives one Gateway connection (discord.com/developers/docs/topics/gateway#resuming): the URL to
/// connect to, and the session to resume after a disconnect: its id, the URL to resume at, and the
/// sequence number of the last dispatch handled. That number advances only once what a dispatch carried
/// is stored, so a Resume asks Discord to replay every dispatch not yet stored.
actor DiscordGatewaySession {
    /// How a connection starts.
    enum Start: Sendable, Equatable {
        /// Identify (op 2): a new session.
        case identify
        /// Resume (op 6): the dispatches of session `sessionID` after `sequence` are replayed.
        case resume(sessionID: String, sequence: Int)
    }

    /// The URL from `discord.gateway_url` or `GET /gateway/bot`, kept for every new session.
    private(set) var gatewayURL: String?
    private var sessionID: String?
    private var resumeURL: String?
    /// The last dispatch handled: what heartbeats and a Resume carry.
    private(set) var sequence: Int?
    /// The bot's own user id, from READY: a mention of it addresses the bot, and its own messages are ignored.
    private(set) var botUserID: String?

    init(gatewayURL: String?) {
        self.gatewayURL = gatewayURL
    }

    /// How the next connection starts, and where (nil: the gateway URL, not known yet).
    var next: (start: Start, url: String?) {
        if let sessionID, let resumeURL, let sequence { return (.resume(sessionID: sessionID, sequence: sequence), resumeURL) }
        return (.identify, gatewayURL)
    }

    func use(gatewayURL: String) {
        self.gatewayURL = gatewayURL
    }

    /// READY: a new session, whose dispatches are numbered from READY's own.
    func ready(sessionID: String, resumeURL: String, botUserID: String) {
        self.sessionID = sessionID
        self.resumeURL = resumeURL
        self.botUserID = botUserID
    }

    /// A dispatch was handled (what it carried is stored, or there was nothing to store).
    func handled(sequence: Int?) {
        if let sequence { self.sequence = sequence }
    }

    /// The session cannot be resumed: the next connection identifies anew.
    func forget() {
        sessionID = nil
        resumeURL = nil
        sequence = nil
    }
}
