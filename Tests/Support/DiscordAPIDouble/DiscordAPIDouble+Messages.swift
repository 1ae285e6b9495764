import ChatOpsCore
import Foundation
import Hummingbird

/// The bot-token channel routes: Create Message, Edit Message (resources/message.mdx) and Start Thread from Message
/// (resources/channel.mdx). Ephemeral messages are invisible to them.
extension DiscordAPIDouble {
    /// With `enforce_nonce: true`, a nonce the bot already used returns that message instead of a new one; a nonce is
    /// unique per author, not per channel.
    func createMessage(in channel: String, _ body: JSONValue, files: [MultipartForm.Part]) -> Response {
        if let refusal = Self.refusal(ofMessage: body, files: files, creating: true) { return refusal }
        let nonce = body["nonce"]?.string ?? body["nonce"]?.number.map { String(format: "%.0f", $0) }
        let enforced = body["enforce_nonce"] == .bool(true)
        let message = withState { state -> Message in
            if enforced, let nonce, let id = state.nonces[nonce], let earlier = state.messages.first(where: { $0.id == id }) { return earlier }
            let message = state.addMessage(channel: channel, body: body, files: files, interactionToken: nil)
            if let nonce, state.nonces[nonce] == nil { state.nonces[nonce] = message.id }
            return message
        }
        return Self.json(render(message))
    }

    func editMessage(_ id: String, in channel: String, _ body: JSONValue, files: [MultipartForm.Part]) -> Response {
        if let refusal = Self.refusal(ofMessage: body, files: files, creating: false) { return refusal }
        let edited = withState { state -> Message? in
            guard let index = state.messages.firstIndex(where: { $0.id == id && $0.channelID == channel && !$0.isEphemeral }) else { return nil }
            return state.edit(at: index, with: body, files: files)
        }
        return edited.map { Self.json(render($0)) } ?? Self.unknownMessage
    }

    /// `name` of 1 to 100 characters, `auto_archive_duration` one of 60, 1440, 4320 or 10080 minutes. The thread takes
    /// the message's id, so a second thread on a message gets 160004. Answers the thread's channel object.
    func startThread(from id: String, in channel: String, _ body: JSONValue) -> Response {
        var errors = FormErrors()
        let name = body["name"]?.string ?? ""
        if body["name"]?.string == nil {
            errors.add(["name"], code: "BASE_TYPE_REQUIRED", message: "This field is required")
        } else {
            errors.checkLength(name, 1...100, at: ["name"])
        }
        let duration = body["auto_archive_duration"]?.int ?? 1440
        if ![60, 1440, 4320, 10080].contains(duration) {
            errors.add(["auto_archive_duration"], code: "BASE_TYPE_CHOICES", message: "Value must be one of {60, 1440, 4320, 10080}.")
        }
        guard errors.isEmpty else { return Self.invalidFormBody(errors) }
        enum Outcome { case started(ThreadChannel), unknownMessage, alreadyStarted }
        let outcome = withState { state -> Outcome in
            guard state.messages.contains(where: { $0.id == id && $0.channelID == channel && !$0.isEphemeral }) else { return .unknownMessage }
            guard !state.threads.contains(where: { $0.id == id }) else { return .alreadyStarted }
            let thread = ThreadChannel(id: id, parentID: channel, name: name, autoArchiveDuration: duration)
            state.threads.append(thread)
            return .started(thread)
        }
        switch outcome {
        case .unknownMessage: return Self.unknownMessage
        case .alreadyStarted: return Self.error(400, code: 160004, "A thread has already been created for this message")
        case .started(let thread): return Self.json(threadObject(thread), status: 201)
        }
    }

    /// A public thread's channel object (type 11), as in channel.mdx's example thread channel.
    private func threadObject(_ thread: ThreadChannel) -> JSONValue {
        [
            "id": .string(thread.id), "type": 11, "parent_id": .string(thread.parentID), "owner_id": .string(applicationID),
            "name": .string(thread.name), "last_message_id": .null, "message_count": 0, "member_count": 1, "rate_limit_per_user": 0,
            "total_message_sent": 0, "flags": 0,
            "thread_metadata": [
                "archived": false, "auto_archive_duration": .number(Double(thread.autoArchiveDuration)),
                "archive_timestamp": .string(Self.timestamp(Date())), "locked": false,
            ],
        ]
    }
}
