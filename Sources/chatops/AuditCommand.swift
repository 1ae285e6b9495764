import ArgumentParser
import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Inspect the audit log.", subcommands: [Verify.self, Export.self])

    /// Opens the store the configuration names; the secrets of platforms and backends need not be set.
    static func openStore(_ options: CommonOptions) throws -> SQLiteStore {
        let location = try ValidateCommand.loadOrExplain { try ConfigurationLoader.storeLocation(path: options.config) }
        return try SQLiteStore(path: location.path)
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Check the audit hash chain; name the first broken event.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let store = try AuditCommand.openStore(options)
            switch AuditChain.verify(try await store.auditEvents()) {
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
            let store = try AuditCommand.openStore(options)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for event in try await store.auditEvents() where kind == nil || event.kind == kind {
                print(String(decoding: try encoder.encode(event), as: UTF8.self))
            }
        }
    }
}
