/// One WebSocket connection to the Gateway, as its reader and its heartbeat share it: whether the last
/// heartbeat was acknowledged, whether the session became ready on it, and why it ended.
actor DiscordGatewayConnection {
    /// Why a connection ended, which decides how the next one starts.
    enum Ending: Sendable, Equatable {
        /// The socket closed or failed without a close code: resume.
        case dropped
        /// Discord closed it with a code after which the bot connects again.
        case closed(code: Int)
        /// Reconnect (op 7): resume at once.
        case reconnect
        /// No Heartbeat ACK came before the next heartbeat was due: a "zombied" connection; resume.
        case zombie
        /// Invalid Session (op 9): resume when `resumable`, else identify anew after a short wait.
        case invalidSession(resumable: Bool)
        /// A dispatch could not be stored: resume, so that Discord replays it.
        case notStored
        /// Nothing will mend it; the service stops.
        case fatal(DiscordGatewayError)

        /// For logs and metrics.
        var reason: String {
            switch self {
            case .dropped: return "dropped"
            case .closed(let code): return "closed_\(code)"
            case .reconnect: return "reconnect"
            case .zombie: return "no_heartbeat_ack"
            case .invalidSession(let resumable): return resumable ? "invalid_session_resumable" : "invalid_session"
            case .notStored: return "not_stored"
            case .fatal(let error): return "fatal_\(error.code)"
            }
        }

        /// Whether the session is gone, so the next connection identifies.
        var startsNewSession: Bool {
            switch self {
            case .invalidSession(let resumable): return !resumable
            case .closed(let code): return DiscordGatewayError.newSessionCloseCodes.contains(code)
            default: return false
            }
        }
    }

    /// What a connection came to.
    struct Outcome: Sendable {
        /// Whether READY or RESUMED came on it.
        var ready: Bool
        var ending: Ending
    }

    /// Thrown to end a connection from within (the WebSocket is then closed with 1011, which keeps the
    /// session resumable; 1000 and 1001 would end it).
    struct Ended: Error {}

    private(set) var awaitsAcknowledgement = false
    private var ready = false
    private var ending: Ending?

    func heartbeatSent() { awaitsAcknowledgement = true }
    func acknowledged() { awaitsAcknowledgement = false }
    func becameReady() { ready = true }

    /// Notes why the connection ends (the first reason given counts).
    func record(_ ending: Ending) {
        if self.ending == nil { self.ending = ending }
    }

    /// Notes why the connection ends; the caller throws the error returned.
    func close(_ ending: Ending) -> Ended {
        record(ending)
        return Ended()
    }

    var hasEnded: Bool { ending != nil }

    /// - Parameter closeCode: the code of Discord's close frame, if one came.
    func outcome(closeCode: Int?) -> Outcome {
        let closed: Ending? = closeCode.map { code in DiscordGatewayError(closeCode: code).map(Ending.fatal) ?? .closed(code: code) }
        return Outcome(ready: ready, ending: ending ?? closed ?? .dropped)
    }
}
