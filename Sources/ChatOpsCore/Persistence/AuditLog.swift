import Foundation

/// The hash-chained, append-only audit log.
public protocol AuditLog: Sendable {
    func appendAudit(_ record: AuditRecord, at: Date) async throws -> AuditEvent
    func auditEvents() async throws -> [AuditEvent]
}
