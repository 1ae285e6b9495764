import ArgumentParser
import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation
import Logging

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Inspect the audit log.", subcommands: [Verify.self, Export.self])

    /// Opens the store the configuration names; the secrets of platforms and backends need not be set.
    static func openStore(_ options: CommonOptions) throws -> OpenedStore {
        let found = try ValidateCommand.loadOrExplain { try ConfigurationLoader.storeSection(path: options.config) }
        return try found.section.open(base: found.base, logger: Logger(label: "chatops"))
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Check the audit hash chain; name the first broken event.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let opened = try AuditCommand.openStore(options)
            switch AuditChain.verify(try await opened.whileRunning { try await opened.store.auditEvents() }) {
            case .intact(let count):
                print("ok: \(count) audit events, chain intact")
            case .broken(let sequence, let reason):
                print("broken: event \(sequence): \(reason)")
                throw ExitCode(1)
            }
        }
    }
}

extension AuditCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Print audit events as JSON lines, oldest first.")

        @OptionGroup var options: CommonOptions

        @Option(help: "Only events of this kind (inbound, decision, approval.vote, action.start, …).")
        var kind: String?

        func run() async throws {
            let opened = try AuditCommand.openStore(options)
            let events = try await opened.whileRunning { try await opened.store.auditEvents() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for event in events where kind == nil || event.kind == kind {
                print(String(decoding: try encoder.encode(event), as: UTF8.self))
            }
        }
    }
}
