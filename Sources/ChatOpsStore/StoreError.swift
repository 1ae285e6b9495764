/// Why a store refused or failed an operation, beyond the errors of its database.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// The database's schema is at a version this build does not know: a newer build migrated it. This
    /// build must not use it (it would write rows the newer one cannot read); upgrade it first.
    case schemaTooNew(found: Int, known: Int)
    /// A row that a conflicting write proved was there had been deleted by the time it was read, on every
    /// try (another replica kept removing it in between).
    case rowVanished(table: String, key: String)
    /// A batch write answered for another number of jobs than it was given (a store's fault).
    case batchMismatch(sent: Int, stored: Int)
    /// The database connection closed while a query was on it (the database stopped or the network
    /// failed); nothing is known of the query's effect beyond what a transaction guarantees.
    case connectionClosed

    public var description: String {
        switch self {
        case .schemaTooNew(let found, let known):
            return "the database schema is at version \(found), newer than this build knows (\(known)): upgrade this build first"
        case .rowVanished(let table, let key):
            return "the row of \(table) for \(key) was removed while it was being read; try again"
        case .batchMismatch(let sent, let stored):
            return "a batch of \(sent) jobs was answered with \(stored) results"
        case .connectionClosed:
            return "the database connection closed during the query"
        }
    }
}
