import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Foundation
import Logging

extension Engine {
    static let plainWordsHint = "You can also ask in plain words (`@chatops roll back fraud in prod`): I show the command I understood, and it runs only when you click Run."

    /// A message addressed to the bot that is not a command: asks the interpreter what was meant and
    /// offers that command with Run / Cancel buttons. Nothing runs here.
    func propose(from text: String, inbound: Inbound, jobID: String, parseError: ParseError) async throws {
        guard let interpreter else { return }
        let words = parser.request(in: text)
        try await audit("intent.requested", actor: inbound.sender.qualifiedID, subject: jobID, details: ["text": String(words.prefix(500))])
        switch await interpreter.interpret(words) {
        case .understood(let invocation, let model):
            let proposal = try await store.createProposal(Proposal(
                id: ApprovalRequest.makeID(), jobID: jobID, invocation: invocation, requester: inbound.sender,
                conversation: inbound.replyConversation, request: words, interpretedBy: model, createdAt: now(), lifetime: proposalLifetime))
            metrics.command(invocation.command, outcome: "proposed")
            try await audit("intent.proposed", actor: inbound.sender.qualifiedID, subject: proposal.id, details: [
                "command": invocation.displayText, "fingerprint": proposal.fingerprint, "model": model,
            ])
            let ref = try await post(ProposalMessage.render(proposal, now: now()), to: proposal.conversation, key: "\(jobID):proposal")
            if let ref {
                _ = try await store.updateProposal(id: proposal.id) { stored in
                    stored.message = ref
                    stored.conversation = stored.conversation.inThread(ref.replyThread)
                }
            }
        case .notUnderstood(let reason):
            metrics.command("unknown", outcome: "not_understood")
            try await audit("intent.not_understood", actor: inbound.sender.qualifiedID, subject: jobID, details: ["reason": reason])
            var reply = HelpFormatter.help(registry: registry, roles: roles.roles(of: inbound.sender), topic: nil)
            let closest = parseError.suggestions.isEmpty ? "" : " Closest commands: " + parseError.suggestions.map { "`\($0)`" }.joined(separator: ", ") + "."
            reply.tone = .warning
            reply.title = "I couldn't turn that into a command"
            reply.text = "\(reason.prefix(1).uppercased() + reason.dropFirst()).\(closest) Type one of these, or ask again in other words."
            try await post(reply, to: inbound.replyConversation, key: "\(jobID):not-understood")
        }
    }

    /// The requester's Run or Cancel on a proposed command. Run re-checks the command against the
    /// current command files and then goes through permissions, locks and approvals like a typed one.
    func answerProposal(_ answer: ProposalAnswer, proposalID: String, fingerprint: String?, inbound: Inbound, jobID: String) async throws {
        let moment = now()
        guard let (proposal, transition) = try await store.updateProposal(id: proposalID, { proposal in
            proposal.answer(answer, by: inbound.sender, fingerprint: fingerprint, jobID: jobID, now: moment)
        }) else {
            try await post(.error("There is no proposed command `\(proposalID)`."), to: inbound.replyConversation, key: "\(jobID):answer")
            return
        }
        try await audit("intent.answer", actor: inbound.sender.qualifiedID, subject: proposal.id, details: [
            "answer": answer.rawValue, "result": "\(transition)", "command": proposal.invocation.displayText,
        ])
        await refreshMessage(of: proposal)
        switch transition {
        case .refused(let message):
            try await post(.error(message), to: inbound.replyConversation, key: "\(jobID):answer")
        case .cancelled:
            metrics.command(proposal.invocation.command, outcome: "cancelled")
            try await post(Reply(tone: .info, text: "Cancelled `\(proposal.invocation.displayText)`. Nothing was run."), to: proposal.conversation, key: "\(jobID):answer")
        case .run:
            guard case .command(let invocation)? = try? parser.parse(proposal.invocation.canonicalText), invocation.fingerprint == proposal.fingerprint else {
                try await audit("intent.mismatch", subject: proposal.id, details: ["fingerprint": proposal.fingerprint])
                try await post(.error("The command files changed since `\(proposal.invocation.displayText)` was proposed; nothing was run. Ask again."), to: proposal.conversation, key: "\(jobID):answer")
                return
            }
            let confirmed = Inbound(
                id: inbound.id, kind: .message(text: proposal.invocation.displayText), sender: inbound.sender, conversation: proposal.conversation,
                dedupeKey: inbound.dedupeKey, receivedAt: inbound.receivedAt)
            try await run(proposal.invocation, inbound: confirmed, jobID: jobID)
        }
    }

    private func refreshMessage(of proposal: Proposal) async {
        guard let message = proposal.message else { return }
        await update(message, with: ProposalMessage.render(proposal, now: now()))
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
            return Reply(tone: .warning, title: "Expired: \(command)", text: "Not run. Ask again if you still want it.", fields: fields, footer: footer)
        case .confirmed:
            return Reply(tone: .success, title: "Confirmed: \(command)", text: "\(proposal.requester.name) clicked Run.", fields: fields, footer: footer)
        case .cancelled:
            return Reply(tone: .info, title: "Cancelled: \(command)", text: "Not run.", fields: fields, footer: footer)
        }
    }
}
