import ChatOpsCore
import ChatOpsStore
import Foundation
import Testing

@Suite("Store: SQLite's log copied beside the writer")
struct WALCheckpointTests {
    @Test func commitsReachTheDatabaseFileWithoutACheckpointInAnyCommit() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bot.sqlite").path
        let store = try SQLiteStore(path: path)
        let before = try Self.size(of: path)
        // Commits one by one, as acknowledgements come under light load; the writer never checkpoints
        // (wal_autocheckpoint = 0), so only the checkpointer's own connection can grow the file.
        for index in 0..<400 { _ = try await store.enqueue(Sample.job("wal-\(index)")) }
        var grown = false
        for _ in 0..<100 where !grown {
            grown = try Self.size(of: path) > before
            if !grown { try await Task.sleep(for: .milliseconds(50)) }
        }
        let after = try Self.size(of: path)
        #expect(grown, "the database file took the log's pages (it is \(after) bytes, was \(before))")
        #expect(try await store.jobStates().count == 400)
    }

    static func size(of path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    }
}
