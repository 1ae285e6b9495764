import ChatOpsCore
import Foundation

extension DiscordGatewayDouble {
    /// One WebSocket connection: its number (1 for the first), the path it opened (`/gateway/` or `/resume/`) and its query.
    public struct Connection: Sendable {
        public var number: Int
        public var path: String
        public var query: String?
    }

    /// An Identify (op 2) the bot sent.
    public struct Identify: Sendable {
        public var connection: Int
        public var token: String?
        public var intents: Int?
        public var properties: JSONValue?
    }

    /// A Resume (op 6) the bot sent, and whether it named the live session.
    public struct Resume: Sendable {
        public var connection: Int
        public var sessionID: String?
        public var sequence: Int?
        public var accepted: Bool
    }

    /// A heartbeat (op 1) the bot sent, with the sequence number it carried.
    public struct Heartbeat: Sendable {
        public var connection: Int
        public var sequence: Int?
        public var at: Date
    }

    /// A dispatch written to the bot.
    public struct Written: Sendable {
        public var connection: Int
        public var sequence: Int
        public var type: String
    }

    /// An interaction callback the bot posted.
    public struct Callback: Sendable {
        public var interactionID: String
        public var token: String
        public var body: JSONValue
        /// When the double received it.
        public var at: Date
    }

    /// What a connection is asked to write next.
    enum Command: Sendable {
        case deliver(Int)
        case send(JSONValue)
        case drop
        case close(code: Int)
    }

    struct Dispatch {
        var sequence: Int
        var type: String
        var data: JSONValue
    }

    /// A dispatch sent while no session existed: it is numbered after the next READY.
    struct Waiting {
        var type: String
        var data: JSONValue
    }

    struct Live {
        var number: Int
        var commands: AsyncStream<Command>.Continuation
        /// Whether the connection identified or resumed.
        var ready = false
    }

    /// READY and RESUMED belong to their connection and are never replayed.
    static let sessionEvents: Set<String> = ["READY", "RESUMED"]

    struct State {
        var sessionID: String?
        var sessions = 0
        /// The session's dispatches, in order.
        var log: [Dispatch] = []
        var nextSequence = 1
        var waiting: [Waiting] = []
        var live: Live?
        /// Connections whose heartbeats go unanswered.
        var silent: Set<Int> = []
        var messageContentEnabled = true
        /// Whether the session's Identify asked for MESSAGE_CONTENT.
        var contentGranted = false
        var channels: [String: JSONValue] = [:]
        var connections: [Connection] = []
        var identifies: [Identify] = []
        var resumes: [Resume] = []
        var heartbeats: [Heartbeat] = []
        var written: [Written] = []
        var callbacks: [Callback] = []

        /// Numbers and keeps a dispatch of the session.
        mutating func append(type: String, data: JSONValue) -> Int {
            let sequence = nextSequence
            nextSequence += 1
            log.append(Dispatch(sequence: sequence, type: type, data: data))
            return sequence
        }

        /// A new session, opened by READY on the live connection; the dispatches that waited follow READY.
        /// - Returns: the sequence numbers to write, in order.
        mutating func startSession(ready: (String) -> JSONValue) -> [Int] {
            sessions += 1
            let id = "session-\(sessions)"
            endSession()
            sessionID = id
            var sequences = [append(type: "READY", data: ready(id))]
            for dispatch in waiting { sequences.append(append(type: dispatch.type, data: dispatch.data)) }
            waiting = []
            live?.ready = true
            return sequences
        }

        mutating func endSession() {
            sessionID = nil
            log = []
            nextSequence = 1
        }
    }
}
