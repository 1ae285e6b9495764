import Foundation
import Synchronization

/// What this process has seen of each backend, chat platform and model it calls: the last call that
/// worked and the last that failed, with why. The web console's operations page shows it beside
/// each backend's circuit. It is kept in memory: a replica shows its own calls since it started.
public final class HealthBoard: Sendable {
    /// What is called.
    public enum Kind: String, Sendable, Codable, CaseIterable { case backend, platform, model }

    /// One component's record.
    public struct Entry: Sendable, Equatable, Encodable {
        public var kind: Kind
        public var name: String
        public var calls = 0
        public var failures = 0
        public var lastSuccess: Date?
        public var lastError: Date?
        /// Why the last failed call failed, with the configuration's secrets removed.
        public var lastErrorText: String?
    }

    private struct Key: Hashable {
        var kind: Kind
        var name: String
    }

    private let entries = Mutex<[Key: Entry]>([:])
    /// When this process began recording.
    public let since: Date

    public init(since: Date = Date()) {
        self.since = since
    }

    /// Records a call that worked.
    public func succeeded(_ kind: Kind, _ name: String, at date: Date = Date()) {
        change(kind, name) { entry in
            entry.calls += 1
            entry.lastSuccess = date
        }
    }

    /// Records a call that failed. `error` must already be free of secrets.
    public func failed(_ kind: Kind, _ name: String, error: String, at date: Date = Date()) {
        change(kind, name) { entry in
            entry.calls += 1
            entry.failures += 1
            entry.lastError = date
            entry.lastErrorText = String(error.prefix(300))
        }
    }

    /// What has been seen of one component (nothing yet: no calls).
    public func entry(_ kind: Kind, _ name: String) -> Entry {
        entries.withLock { $0[Key(kind: kind, name: name)] } ?? Entry(kind: kind, name: name)
    }

    private func change(_ kind: Kind, _ name: String, _ body: (inout Entry) -> Void) {
        let key = Key(kind: kind, name: name)
        entries.withLock { all in
            var entry = all[key] ?? Entry(kind: kind, name: name)
            body(&entry)
            all[key] = entry
        }
    }
}
