import ChatOpsCore
import ChatOpsStore
import Foundation
import Testing

@Suite("Store: audit log")
struct AuditLogTests {
    func appendThree(_ store: any TestableStore) async throws -> [AuditEvent] {
        var events: [AuditEvent] = []
        for (index, kind) in ["inbound", "decision", "action.end"].enumerated() {
            events.append(
                try await store.appendAudit(
                    AuditRecord(kind: kind, actor: "test:alice", subject: "job-1", details: ["step": "\(index)", "text": "deploy fraud"]),
                    at: Sample.now.addingTimeInterval(Double(index) + 0.0004)))
        }
        return events
    }

    @Test(arguments: StoreKind.allCases) func appendedEventsFormAVerifiableChain(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let appended = try await appendThree(store)
            #expect(appended.map(\.sequence) == [1, 2, 3])
            #expect(appended[0].previousHash == AuditChain.genesis)
            #expect(appended[2].previousHash == appended[1].hash)
            #expect(appended[1].timestampMillis == 1_750_000_001_000, "timestamps are kept to the millisecond")
            let stored = try await store.auditEvents()
            #expect(stored == appended)
            #expect(AuditChain.verify(stored) == .intact(count: 3))
        }
    }

    @Test(arguments: StoreKind.allCases) func tamperingInTheDatabaseIsFound(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await appendThree(store)
            try await store.executeForTesting(#"UPDATE audit SET details = '{"x":"y"}' WHERE sequence = 2"#)
            let events = try await store.auditEvents()
            #expect(events[1].details == ["x": "y"])
            guard case .broken(let sequence, _) = AuditChain.verify(events) else {
                Issue.record("tampering was not detected")
                return
            }
            #expect(sequence == 2)
        }
    }

    @Test(arguments: StoreKind.allCases) func deletingAnEventIsFound(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await appendThree(store)
            try await store.executeForTesting("DELETE FROM audit WHERE sequence = 2")
            #expect(AuditChain.verify(try await store.auditEvents()) == .broken(sequence: 3, reason: "sequence jumps from 1 to 3"))
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentAppendsStayInOneChain(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { _ = try await store.appendAudit(AuditRecord(kind: "reply", subject: "\(index)"), at: Sample.now) }
                }
                try await group.waitForAll()
            }
            #expect(AuditChain.verify(try await store.auditEvents()) == .intact(count: 20))
        }
    }
}
