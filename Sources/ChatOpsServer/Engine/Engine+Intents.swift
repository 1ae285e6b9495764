import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Foundation
import Logging

extension Engine {
    static let plainWordsHint =
        "You can also ask in plain words (`@chatops roll back fraud in prod`): I show the command I understood, and it runs only when you click Run."

    /// A message addressed to the bot that is not a command: asks the interpreter what was meant and
    /// offers that command with Run / Cancel buttons. Nothing runs here.
    func propose(from text: String, job: JobContext, parseError: ParseError) async throws {
        guard let interpreter else { return }
        let words = parser.request(in: text)
        try await audit("intent.requested", actor: job.sender.qualifiedID, subject: job.id, details: ["text": String(words.prefix(500))])
        switch await interpreter.interpret(words) {
        case .understood(let invocation, let model):
            let proposal = try await store.createProposal(
                Proposal(
                    id: ApprovalRequest.makeID(), jobID: job.id, invocation: invocation, requester: job.sender,
                    conversation: job.replyConversation, request: words, interpretedBy: model, createdAt: now(), lifetime: proposalLifetime))
            metrics.command(invocation.command, outcome: "proposed")
            try await audit(
                "intent.proposed", actor: job.sender.qualifiedID, subject: proposal.id,
                details: [
                    "command": invocation.displayText, "fingerprint": proposal.fingerprint, "model": model,
                ])
            try await show(proposal, as: ProposalMessage.render(proposal, now: now()), key: job.key("proposal")) { message in
                _ = try await self.store.updateProposal(id: proposal.id) { $0.shown(in: message) }
            }
        case .notUnderstood(let reason):
            metrics.command("unknown", outcome: "not_understood")
            try await audit("intent.not_understood", actor: job.sender.qualifiedID, subject: job.id, details: ["reason": reason])
            var reply = HelpFormatter.help(registry: registry, roles: roles.roles(of: job.sender), topic: nil)
            let closest =
                parseError.suggestions.isEmpty ? "" : " Closest commands: " + parseError.suggestions.map { "`\($0)`" }.joined(separator: ", ") + "."
            reply.tone = .warning
            reply.title = "I couldn't turn that into a command"
            reply.text = "\(reason.prefix(1).uppercased() + reason.dropFirst()).\(closest) Type one of these, or ask again in other words."
            try await post(reply, to: job.replyConversation, key: job.key("not-understood"))
        }
    }

    /// The requester's Run or Cancel on a proposed command. Run re-checks the command against the
    /// current command files and then goes through permissions, locks and approvals like a typed one.
    func answerProposal(_ answer: ProposalAnswer, proposalID: String, fingerprint: String?, job: JobContext) async throws {
        let moment = now()
        guard
            let (proposal, transition) = try await store.updateProposal(
                id: proposalID,
                { proposal in
                    proposal.answer(answer, by: job.sender, fingerprint: fingerprint, jobID: job.id, now: moment)
                })
        else {
            try await post(.error("There is no proposed command `\(proposalID)`."), to: job.replyConversation, key: job.key("answer"))
            return
        }
        try await audit(
            "intent.answer", actor: job.sender.qualifiedID, subject: proposal.id,
            details: [
                "answer": answer.rawValue, "result": "\(transition)", "command": proposal.invocation.displayText,
            ])
        await refreshMessage(of: proposal)
        switch transition {
        case .refused(let message):
            try await post(.error(message), to: job.replyConversation, key: job.key("answer"))
        case .cancelled:
            metrics.command(proposal.invocation.command, outcome: "cancelled")
            try await post(
                Reply(tone: .info, text: "Cancelled `\(proposal.invocation.displayText)`. Nothing was run."), to: proposal.conversation,
                key: job.key("answer"))
        case .run:
            guard case .command(let invocation)? = try? parser.parse(proposal.invocation.canonicalText),
                invocation.fingerprint == proposal.fingerprint
            else {
                try await audit("intent.mismatch", subject: proposal.id, details: ["fingerprint": proposal.fingerprint])
                try await post(
                    .error("The command files changed since `\(proposal.invocation.displayText)` was proposed; nothing was run. Ask again."),
                    to: proposal.conversation, key: job.key("answer"))
                return
            }
            let confirmed = Inbound(
                id: job.inbound.id, kind: .message(text: proposal.invocation.displayText), sender: job.sender, conversation: proposal.conversation,
                dedupeKey: job.inbound.dedupeKey, receivedAt: job.inbound.receivedAt)
            try await run(proposal.invocation, job: JobContext(inbound: confirmed, id: job.id))
        }
    }

    private func refreshMessage(of proposal: Proposal) async {
        await refresh(proposal, as: ProposalMessage.render(proposal, now: now()))
    }
}

/// How a proposed command looks in chat, before and after the requester answers.
enum ProposalMessage {
    static func render(_ proposal: Proposal, now: Date) -> Reply {
        let command = "`\(proposal.invocation.displayText)`"
        var fields = proposal.invocation.arguments.keys.sorted().map { Fact($0, proposal.invocation.arguments[$0]!.displayValue) }
        fields.append(Fact("asked by", proposal.requester.name))
        let footer = "interpreted by \(proposal.interpretedBy) · proposal \(proposal.id)"
        switch proposal.state {
        case .pending where now < proposal.expiresAt:
            fields.append(Fact("expires", RelativeTime.describe(proposal.expiresAt, now: now)))
            return Reply(
                tone: .pending, title: "Did you mean \(command)?",
                text: "Nothing runs until \(proposal.requester.name) clicks Run; then permissions and approvals apply as if it had been typed.",
                fields: fields,
                buttons: [
                    ButtonAction(kind: .run, label: "Run", requestID: proposal.id, fingerprint: proposal.fingerprint),
                    ButtonAction(kind: .cancel, label: "Cancel", requestID: proposal.id, fingerprint: proposal.fingerprint),
                ],
                footer: footer)
        case .pending, .expired:
            return Reply(
                tone: .warning, title: "Expired: \(command)", text: "Not run. Ask again if you still want it.", fields: fields, footer: footer)
        case .confirmed:
            return Reply(
                tone: .success, title: "Confirmed: \(command)", text: "\(proposal.requester.name) clicked Run.", fields: fields, footer: footer)
        case .cancelled:
            return Reply(tone: .info, title: "Cancelled: \(command)", text: "Not run.", fields: fields, footer: footer)
        }
    }
}
