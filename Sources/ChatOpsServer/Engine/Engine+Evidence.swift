import ChatOpsCore
import Foundation

extension Engine {
    /// The newest evaluation of the version a request's command names, judged against its requirement.
    func evidence(for requirement: EvalRequirement, of invocation: Invocation) async throws -> EvalEvidence {
        let model = invocation.arguments["model"]?.templateValue ?? ""
        let version = invocation.arguments["version"]?.templateValue ?? "latest"
        // `v12` and `12` name the same version (an eval through MLflow keeps `v12`).
        var latest: StoredEvalRun?
        for form in EvalRequirement.versionForms(version) {
            let found = try await store.latestEvalRun(EvalRunQuery(model: model, dataset: requirement.dataset, version: form))
            if let found, latest.map({ found.finishedAt > $0.finishedAt }) ?? true { latest = found }
        }
        return requirement.check(model: model, version: version, latest: latest, now: now())
    }

    /// Before an approval is counted: the request shows the newest evaluation. When it changed since
    /// the card was shown, the card is updated and the vote is not counted (the person approved what
    /// they saw, not what is there now).
    /// - Returns: false when the vote must not be counted.
    func refreshEvidence(of request: ApprovalRequest, job: JobContext) async throws -> Bool {
        guard let requirement = request.evalRequirement else { return true }
        let current = try await evidence(for: requirement, of: request.invocation)
        guard current != request.evidence else { return true }
        guard let (updated, _) = try await store.updateApproval(id: request.id, { $0.attach(current) }) else { return false }
        await refresh(updated, as: ApprovalMessage.request(updated, now: now()))
        guard current.runID != request.evidence?.runID else { return true }
        try await audit("approval.evidence_changed", actor: job.sender.qualifiedID, subject: request.id, details: ["run": current.runID ?? "none"])
        try await post(
            .error("The evaluation behind this request changed since it was shown; the card now shows the newest. Look at it and vote again."),
            to: job.replyConversation, key: job.key("vote"))
        return false
    }
}
