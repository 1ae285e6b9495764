import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Logging

/// Stores what platforms deliver as jobs, from webhooks and outward connections alike, counting
/// each in `chatops_inbound_total`: a redelivery (a dedupe key seen before) is dropped.
struct StoreIntake: InboundIntake {
    /// Jobs arriving together share one commit.
    let commits: GroupCommit
    let logger: Logger
    let metrics = BotMetrics()

    init(store: any Store, logger: Logger) {
        commits = GroupCommit(queue: store)
        self.logger = logger
    }

    func accept(_ inbound: Inbound) async throws -> Bool {
        try await keep(inbound).isDuplicate
    }

    /// Stores the inbound as a job, or throws `InboundNotStored` (answered 503, so the platform
    /// delivers it again) when the store cannot take it.
    func keep(_ inbound: Inbound) async throws(InboundNotStored) -> EnqueueResult {
        let result: EnqueueResult
        do {
            result = try await commits.enqueue(NewJob(runnable: inbound))
        } catch {
            metrics.inbound(platform: inbound.conversation.platform, outcome: "unstored")
            logger.error(
                "could not store an inbound; answered 503 so it is delivered again",
                metadata: ["chatops.platform": "\(inbound.conversation.platform)", "error": "\(error)"])
            throw InboundNotStored()
        }
        let duplicate = result.isDuplicate
        metrics.inbound(platform: inbound.conversation.platform, outcome: duplicate ? "duplicate" : "accepted")
        if duplicate {
            logger.info(
                "redelivery dropped", metadata: ["chatops.platform": "\(inbound.conversation.platform)", "chatops.dedupe": "\(inbound.dedupeKey)"])
        }
        return result
    }
}
