import ChatOpsCore
import Foundation

extension DiscordGatewayDouble {
    typealias Commands = AsyncStream<Command>.Continuation

    /// A heartbeat is recorded and, unless the connection was silenced, acknowledged (op 11).
    func heartbeat(_ data: JSONValue, connection: Int, commands: Commands) {
        withState { state in
            state.heartbeats.append(Heartbeat(connection: connection, sequence: data.int, at: Date()))
            if !state.silent.contains(connection) { commands.yield(.send(["op": 11])) }
        }
    }

    /// Identify: a wrong token is closed with 4004, the Message Content intent the application lacks with 4014;
    /// otherwise a new session starts with READY, and the dispatches that waited follow it.
    func identify(_ data: JSONValue, connection: Int, commands: Commands) {
        withState { state in
            let identify = Identify(
                connection: connection, token: data["token"]?.string, intents: data["intents"]?.int, properties: data["properties"])
            state.identifies.append(identify)
            if let refusal = refusal(of: identify, messageContentEnabled: state.messageContentEnabled) {
                commands.yield(.close(code: refusal))
            } else if state.live?.number == connection {
                state.contentGranted = (identify.intents ?? 0) & Self.messageContentIntent != 0
                for sequence in state.startSession(ready: ready(sessionID:)) { commands.yield(.deliver(sequence)) }
            }
        }
    }

    /// Resume: with the live session's id, every dispatch after `seq` is replayed, then RESUMED; otherwise
    /// Invalid Session (op 9, not resumable).
    func resume(_ data: JSONValue, connection: Int, commands: Commands) {
        withState { state in
            let sessionID = data["session_id"]?.string
            let sequence = data["seq"]?.int
            let accepted = data["token"]?.string == token && sessionID != nil && sessionID == state.sessionID && sequence != nil
            state.resumes.append(Resume(connection: connection, sessionID: sessionID, sequence: sequence, accepted: accepted))
            guard data["token"]?.string == token else {
                commands.yield(.close(code: 4004))
                return
            }
            guard accepted, let sequence, state.live?.number == connection else {
                commands.yield(.send(["op": 9, "d": false]))
                return
            }
            state.live?.ready = true
            for dispatch in state.log where dispatch.sequence > sequence && !Self.sessionEvents.contains(dispatch.type) {
                commands.yield(.deliver(dispatch.sequence))
            }
            commands.yield(.deliver(state.append(type: "RESUMED", data: [:])))
        }
    }

    /// The close code an Identify is refused with: 4004 for a wrong token, 4014 for the Message Content intent
    /// the application has not turned on; nil when it is accepted.
    private func refusal(of identify: Identify, messageContentEnabled: Bool) -> Int? {
        guard identify.token == token else { return 4004 }
        let asksForContent = (identify.intents ?? 0) & Self.messageContentIntent != 0
        return asksForContent && !messageContentEnabled ? 4014 : nil
    }

    /// READY's `d` (topics/gateway-events#ready): the bot user, the session and where to resume it.
    private func ready(sessionID: String) -> JSONValue {
        [
            "v": 10, "session_id": .string(sessionID), "resume_gateway_url": .string(resumeURL), "session_type": "normal", "guilds": [],
            "user": ["id": .string(botUserID), "username": "chatops", "global_name": .null, "bot": true],
            "application": ["id": .string(botUserID), "flags": 0],
        ]
    }
}
