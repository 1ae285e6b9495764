import ChatOpsCore
import ChatOpsStore
import ChatPlatforms
import Logging

/// Stores what platforms deliver as jobs, from webhooks and outward connections alike, counting
/// each in `chatops_inbound_total`: a redelivery (a dedupe key seen before) is dropped.
struct StoreIntake: InboundIntake {
    let store: any Store
    let logger: Logger
    let metrics = BotMetrics()

    func accept(_ inbound: Inbound) async throws -> Bool {
        let duplicate = try await store.enqueue(inbound).isDuplicate
        metrics.inbound(platform: inbound.conversation.platform, outcome: duplicate ? "duplicate" : "accepted")
        if duplicate {
            logger.info(
                "redelivery dropped", metadata: ["chatops.platform": "\(inbound.conversation.platform)", "chatops.dedupe": "\(inbound.dedupeKey)"])
        }
        return duplicate
    }
}
