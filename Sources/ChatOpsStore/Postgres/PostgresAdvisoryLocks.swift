/// The advisory lock keys the replicas share, in one place so that no two uses ever take the same key
/// ("CHATOPS" in ASCII, then a number per use).
enum PostgresAdvisoryLocks {
    /// Taken for a transaction: replicas starting together migrate one after the other.
    static let migrations: Int64 = 0x4348_4154_4F50_5301
    /// Taken for a transaction: audit events are chained in one order.
    static let auditChain: Int64 = 0x4348_4154_4F50_5302
    /// Held by one replica's own connection for as long as it fires the schedules.
    static let scheduleLeader: Int64 = 0x4348_4154_4F50_5303
}
