import ChatOpsCore
import Foundation

/// One message on the Gateway (discord.com/developers/docs/topics/gateway-events#payload-structure): an
/// opcode `op` and its data `d`; a dispatch (op 0) also carries its sequence number `s` and its event name `t`.
/// Only the opcode, the sequence number and the name are read at first; `d` is read as its event's type.
struct DiscordGatewayPayload: Sendable {
    /// The opcodes the bot sends or reads (topics/opcodes-and-status-codes#gateway-gateway-opcodes).
    enum Opcode {
        static let dispatch = 0
        static let heartbeat = 1
        static let identify = 2
        static let resume = 6
        static let reconnect = 7
        static let invalidSession = 9
        static let hello = 10
        static let heartbeatAck = 11
    }

    var op: Int
    var sequence: Int?
    var event: String?
    /// The message as received, from which `d` is read.
    private let text: String

    init(text: String) throws {
        let header = try JSONDecoder().decode(Header.self, from: Data(text.utf8))
        self.op = header.op
        self.sequence = header.s
        self.event = header.t
        self.text = text
    }

    /// `d`, read as `type`.
    func data<Value: Decodable>(as type: Value.Type) throws -> Value {
        try JSONDecoder().decode(Envelope<Value>.self, from: Data(text.utf8)).d
    }

    private struct Header: Decodable {
        var op: Int
        var s: Int?
        var t: String?
    }

    private struct Envelope<Value: Decodable>: Decodable {
        var d: Value
    }

    /// Hello's `d`: how often to send heartbeats, in milliseconds.
    struct Hello: Decodable {
        var heartbeatInterval: Int

        enum CodingKeys: String, CodingKey { case heartbeatInterval = "heartbeat_interval" }
    }

    /// READY's `d`, the fields a resume needs (topics/gateway-events#ready) and the bot's own user id.
    struct Ready: Decodable {
        struct User: Decodable { var id: String }
        var sessionID: String
        var resumeGatewayURL: String
        var user: User

        enum CodingKeys: String, CodingKey {
            case user
            case sessionID = "session_id", resumeGatewayURL = "resume_gateway_url"
        }
    }
}

extension DiscordGatewayPayload {
    /// GUILDS (threads and channels), GUILD_MESSAGES, DIRECT_MESSAGES and MESSAGE_CONTENT, a privileged intent
    /// the application must have turned on (topics/gateway#list-of-intents).
    static let intents = 1 << 0 | 1 << 9 | 1 << 12 | 1 << 15
    static let messageContentIntent = 1 << 15

    /// A heartbeat (op 1) with the sequence number of the last dispatch handled, `null` before any.
    static func heartbeat(sequence: Int?) throws -> String {
        try text(op: Opcode.heartbeat, sequence.map { .number(Double($0)) } ?? .null)
    }

    /// Identify (op 2): starts a new session (topics/gateway-events#identify).
    static func identify(token: String) throws -> String {
        let properties: JSONValue = ["os": .string(operatingSystem), "browser": "chatops", "device": "chatops"]
        return try text(op: Opcode.identify, ["token": .string(token), "intents": .number(Double(intents)), "properties": properties])
    }

    /// Resume (op 6): asks for the dispatches after `sequence` in session `sessionID` (topics/gateway-events#resume).
    static func resume(token: String, sessionID: String, sequence: Int) throws -> String {
        try text(op: Opcode.resume, ["token": .string(token), "session_id": .string(sessionID), "seq": .number(Double(sequence))])
    }

    private static func text(op: Int, _ data: JSONValue) throws -> String {
        let payload: JSONValue = ["op": .number(Double(op)), "d": data]
        return String(decoding: try payload.data(), as: UTF8.self)
    }

    private static var operatingSystem: String {
        #if os(Linux)
        return "linux"
        #elseif os(macOS)
        return "macos"
        #else
        return "unknown"
        #endif
    }
}
