import ChatOpsCore
import Testing

@Suite("AuditChain")
struct AuditChainTests {
    /// Seals `count` events into a chain, the way the store does.
    static func chain(_ count: Int) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for index in 1...count {
            let record = AuditRecord(
                kind: index == 1 ? "inbound" : "decision", actor: "test:alice", subject: "job-\(index)",
                details: ["step": "\(index)", "command": "deploy fraud v12"])
            events.append(
                AuditChain.seal(
                    record, sequence: Int64(index), timestampMillis: 1_750_000_000_000 + Int64(index),
                    previousHash: events.last?.hash ?? AuditChain.genesis))
        }
        return events
    }

    @Test func aSealedChainIsIntact() {
        let events = Self.chain(5)
        #expect(AuditChain.verify(events) == .intact(count: 5))
        #expect(events[0].previousHash == AuditChain.genesis)
        #expect(events[1].previousHash == events[0].hash)
        #expect(Set(events.map(\.hash)).count == 5)
    }

    @Test func anEmptyChainIsIntact() {
        #expect(AuditChain.verify([AuditEvent]()) == .intact(count: 0))
    }

    @Test func hashIsDeterministicAndCoversEveryField() {
        let event = Self.chain(1)[0]
        #expect(AuditChain.hash(of: event) == event.hash)
        var changes: [AuditEvent] = []
        for change in [
            { (e: inout AuditEvent) in e.sequence += 1 }, { $0.timestampMillis += 1 }, { $0.kind = "reply" },
            { $0.actor = nil }, { $0.subject = "job-9" }, { $0.details["step"] = "2" }, { $0.details["extra"] = "" },
            { $0.previousHash = String(repeating: "1", count: 64) },
        ] {
            var copy = event
            change(&copy)
            changes.append(copy)
        }
        for changed in changes {
            #expect(AuditChain.hash(of: changed) != event.hash, "\(changed)")
        }
    }

    @Test func tamperingWithADetailBreaksThatEvent() {
        var events = Self.chain(5)
        events[2].details["command"] = "deploy fraud v13"
        #expect(AuditChain.verify(events) == .broken(sequence: 3, reason: "its content does not match its hash"))
    }

    @Test func rehashingATamperedEventBreaksTheNextLink() {
        var events = Self.chain(5)
        events[2].details["command"] = "deploy fraud v13"
        events[2].hash = AuditChain.hash(of: events[2])
        #expect(AuditChain.verify(events) == .broken(sequence: 4, reason: "it does not link to event 3"))
    }

    @Test func removingAnEventBreaksTheChain() {
        var events = Self.chain(5)
        events.remove(at: 1)
        guard case .broken(let sequence, let reason) = AuditChain.verify(events) else {
            Issue.record("a gap must be reported")
            return
        }
        #expect(sequence == 3)
        #expect(reason.contains("jumps from 1 to 3"))
    }

    @Test func removingTheFirstEventBreaksTheChain() {
        #expect(AuditChain.verify(Self.chain(3).dropFirst()) == .broken(sequence: 2, reason: "sequence jumps from 0 to 2"))
    }

    @Test func renumberingAfterARemovalStillBreaksTheLink() {
        var events = Self.chain(5)
        events.remove(at: 1)
        for index in events.indices { events[index].sequence = Int64(index + 1) }
        #expect(AuditChain.verify(events) == .broken(sequence: 2, reason: "it does not link to event 1"))
    }

    @Test func changingPreviousHashBreaksThatEvent() {
        var events = Self.chain(4)
        events[3].previousHash = events[1].hash
        #expect(AuditChain.verify(events) == .broken(sequence: 4, reason: "it does not link to event 3"))
    }

    @Test func reorderingBreaksTheChain() {
        var events = Self.chain(4)
        events.swapAt(1, 2)
        #expect(AuditChain.verify(events) == .broken(sequence: 3, reason: "sequence jumps from 1 to 3"))
    }
}
