import ChatOpsCore
import ChatOpsStore
import Foundation
import Logging

/// Records requests refused before they were trusted (a bad signature or token): every one is
/// counted in `chatops_inbound_total{outcome="rejected"}`, but the audit log gets at most one entry
/// per platform, path and reason a minute, carrying how many were left out since the last one, so
/// a flood of forged requests cannot fill the disk.
actor RejectedRequests {
    private struct Window {
        var start: Date
        var suppressed: Int
    }

    private let store: any Store
    private let window: TimeInterval
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let metrics = BotMetrics()
    private var windows: [String: Window] = [:]

    init(store: any Store, window: TimeInterval = 60, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.window = window
        self.logger = logger
        self.now = now
    }

    /// Counts one refused request and audits it unless its kind was audited within the window.
    /// - Returns: whether an audit entry was written.
    @discardableResult
    func record(platform: String, path: String, reason: String) async -> Bool {
        metrics.inbound(platform: platform, outcome: "rejected")
        let key = "\(platform) \(path) \(reason)"
        let moment = now()
        if var open = windows[key], moment.timeIntervalSince(open.start) < window {
            open.suppressed += 1
            windows[key] = open
            return false
        }
        let suppressed = windows[key]?.suppressed ?? 0
        windows[key] = Window(start: moment, suppressed: 0)
        var details = ["platform": platform, "reason": reason]
        if suppressed > 0 { details["suppressed_since_last"] = "\(suppressed)" }
        logger.warning("request refused", metadata: ["chatops.platform": "\(platform)", "chatops.path": "\(path)", "chatops.reason": "\(reason)"])
        _ = try? await store.appendAudit(AuditRecord(kind: "auth.rejected", subject: "POST \(path)", details: details), at: moment)
        return true
    }
}
