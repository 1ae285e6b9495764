import ChatOpsCore
import ChatOpsStore
import Foundation
import Testing

@Suite("Store: the schedules' leader")
struct ScheduleLeadershipTests {
    @Test func theOnlyProcessOnASQLiteFileAlwaysLeads() async throws {
        try await withStore(.sqlite) { store in
            #expect(await store.holdsScheduleLeadership())
            #expect(await store.holdsScheduleLeadership(), "and keeps leading")
        }
    }

    @Test func oneReplicaLeadsAndAnotherTakesOverWhenItStops() async throws {
        try await TemporaryStore.with(.postgres) { temporary in
            let first = temporary.store
            let second = try await temporary.reopen()
            #expect(await first.holdsScheduleLeadership())
            #expect(await second.holdsScheduleLeadership() == false, "the lead is held")
            #expect(await first.holdsScheduleLeadership(), "the leader keeps it")
            // The lock is no other lock: the audit chain, whose transactions take an advisory lock too, goes on.
            _ = try await second.appendAudit(AuditRecord(kind: "inbound"), at: Sample.now)
            _ = try await first.appendAudit(AuditRecord(kind: "decision"), at: Sample.now)
            #expect(AuditChain.verify(try await second.auditEvents()) == .intact(count: 2))
            await temporary.stopFirst()
            #expect(await first.holdsScheduleLeadership() == false, "a stopped store leads no more")
            #expect(await second.holdsScheduleLeadership(), "the other replica takes the lead")
        }
    }

    @Test(arguments: StoreKind.allCases) func aLateFiringNeverMovesTheClockBack(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.setLastPostDigest(entry: "nightly", digest: "d0")
            try await store.recordFiring(entry: "nightly", at: Sample.now, job: nil)
            try await store.recordFiring(entry: "nightly", at: Sample.now.addingTimeInterval(-60), job: nil)
            #expect(try await store.lastFiring(entry: "nightly") == Sample.now)
            try await store.recordFiring(entry: "nightly", at: Sample.now.addingTimeInterval(60), job: nil)
            #expect(try await store.lastFiring(entry: "nightly") == Sample.now.addingTimeInterval(60))
        }
    }
}
