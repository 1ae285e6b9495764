import ArgumentParser
import ChatOpsCore
import ChatOpsServer
import ChatOpsStore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Inspect the audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Check the audit hash chain; name the first broken event.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let loaded = try ValidateCommand.loadOrExplain { try ConfigurationLoader.load(path: options.config) }
            let store = try SQLiteStore(path: loaded.resolve(loaded.configuration.store.sqlite).path)
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
