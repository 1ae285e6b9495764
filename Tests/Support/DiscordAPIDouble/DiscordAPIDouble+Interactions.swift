import ChatOpsCore
import Foundation
import Hummingbird

/// The interaction webhooks (interactions/receiving-and-responding.mdx, Followup Messages; resources/webhook.mdx): no
/// bot token; the application must be the double's and the token one the test opened, else 404 Unknown Webhook (10015);
/// after the token's 15 minutes, 401 Invalid Webhook Token (50027). Follow-ups go to the interaction's channel, never a thread.
extension DiscordAPIDouble {
    func editOriginal(application: String, token: String, _ body: JSONValue, files: [MultipartForm.Part]) -> Response {
        withInteraction(application, token, body, files: files, creating: false) { state, interaction in
            state.respondOriginal(&interaction, token: token, body: body, files: files)
        }
    }

    /// A new message; but right after a deferral (type 5) it edits the loading message instead, keeping the deferral's
    /// EPHEMERAL flag (Create Followup Message).
    func followUp(application: String, token: String, _ body: JSONValue, files: [MultipartForm.Part]) -> Response {
        withInteraction(application, token, body, files: files, creating: true) { state, interaction in
            if interaction.loading { return state.respondOriginal(&interaction, token: token, body: body, files: files) }
            let message = state.addMessage(channel: interaction.channel, body: body, files: files, interactionToken: token)
            interaction.followUps.append(message.id)
            return message
        }
    }

    /// Edits the original response or a follow-up sent with this token; any other id is 10008 Unknown Message.
    func editFollowUp(_ id: String, application: String, token: String, _ body: JSONValue, files: [MultipartForm.Part]) -> Response {
        withInteraction(application, token, body, files: files, creating: false) { state, interaction in
            guard id == interaction.original || interaction.followUps.contains(id) else { return nil }
            guard let index = state.messages.firstIndex(where: { $0.id == id }) else { return nil }
            return state.edit(at: index, with: body, files: files)
        }
    }

    /// Finds the open interaction, checks the body, and answers the message `respond` wrote (10008 when it wrote none).
    private func withInteraction(
        _ application: String, _ token: String, _ body: JSONValue, files: [MultipartForm.Part], creating: Bool,
        _ respond: (inout State, inout Interaction) -> Message?
    ) -> Response {
        enum Outcome { case answered(Message), refused(Response), unknownWebhook, expired, unknownMessage }
        let outcome = withState { state -> Outcome in
            guard application == applicationID, var interaction = state.interactions[token] else { return .unknownWebhook }
            guard !interaction.expired else { return .expired }
            if let refusal = Self.refusal(ofMessage: body, files: files, creating: creating) { return .refused(refusal) }
            let message = respond(&state, &interaction)
            state.interactions[token] = interaction
            return message.map { Outcome.answered($0) } ?? .unknownMessage
        }
        switch outcome {
        case .answered(let message): return Self.json(render(message))
        case .refused(let refusal): return refusal
        case .unknownWebhook: return Self.error(404, code: 10015, "Unknown Webhook")
        case .expired: return Self.error(401, code: 50027, "Invalid Webhook Token")
        case .unknownMessage: return Self.unknownMessage
        }
    }
}

extension DiscordAPIDouble.State {
    /// `@original`: the message the interaction's answer made or sits on, edited; or, after a deferral that made none
    /// yet, a new message in the interaction's channel with the deferral's EPHEMERAL flag.
    mutating func respondOriginal(
        _ interaction: inout Interaction, token: String, body: JSONValue, files: [MultipartForm.Part]
    )
        -> DiscordAPIDouble.Message?
    {
        interaction.loading = false
        if let original = interaction.original {
            guard let index = messages.firstIndex(where: { $0.id == original }) else { return nil }
            return edit(at: index, with: body, files: files)
        }
        var body = body
        let ephemeral = DiscordAPIDouble.ephemeralFlag
        body["flags"] = .number(Double((body["flags"]?.int ?? 0) & ~ephemeral | (interaction.ephemeral ? ephemeral : 0)))
        let message = addMessage(channel: interaction.channel, body: body, files: files, interactionToken: token)
        interaction.original = message.id
        return message
    }
}
