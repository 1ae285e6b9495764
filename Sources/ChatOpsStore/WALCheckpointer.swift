import GRDB
import Synchronization

/// Copies SQLite's write-ahead log into the database file on a connection of its own, every
/// `commitsPerCheckpoint` commits, so that the copy and its fsync never hold up a write. SQLite's own
/// automatic checkpoint (off: `wal_autocheckpoint = 0`) runs inside the commit that crosses its
/// threshold: at a few thousand commits a second that commit waited about 10 ms, which was the ack
/// path's p99.
///
/// A passive checkpoint never waits for the writer, but under steady writes it never finds the log
/// fully copied either, and the log only starts over when it is; so once the log passes
/// `restartFrames`, one checkpoint waits for the writer and starts it over. Most frames are copied by
/// then, so that wait is short, and it comes once per that many frames.
final class WALCheckpointer: TransactionObserver, @unchecked Sendable {
    /// A checkpoint every this many commits (about 800 KB of log at one job per commit): small and
    /// often measured best (p99 at half the peak: 6.5–7.3 ms; 12–20 ms at 1,000 commits).
    static let commitsPerCheckpoint = 50
    /// Past this many frames (4 KiB pages) the log is started over.
    static let restartFrames = 16_384

    private let connection: DatabaseQueue
    private let state = Mutex<(commits: Int, running: Bool)>((0, false))

    /// - Parameter path: the database file, already in WAL mode.
    init(path: String) throws {
        var configuration = Configuration()
        // Short: a RESTART checkpoint holds the log's write lock while it waits for readers, and every
        // write waits behind it; one that cannot finish soon gives up and is tried on a later turn.
        configuration.busyMode = .timeout(0.1)
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidRollback(_ db: Database) {}

    /// Counts a commit of the writer; starts a checkpoint when enough have gone by and none runs.
    func databaseDidCommit(_ db: Database) {
        let start = state.withLock { state -> Bool in
            state.commits += 1
            guard state.commits >= Self.commitsPerCheckpoint, !state.running else { return false }
            state.commits = 0
            state.running = true
            return true
        }
        guard start else { return }
        Task.detached(priority: .utility) { [self] in
            // PASSIVE: copies what it can without waiting for readers or the writer; a busy log is
            // left for the next time.
            _ = try? await connection.writeWithoutTransaction { db in
                let (frames, _) = try db.checkpoint(.passive)
                if frames > Self.restartFrames { _ = try db.checkpoint(.restart) }
            }
            state.withLock { $0.running = false }
        }
    }
}
