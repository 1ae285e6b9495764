import ArgumentParser
import ChatOpsCore
import ChatOpsServer
import Foundation

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check chatops.yaml, every command file and every prompt; name the file and line of each mistake.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let loaded = try Self.loadOrExplain { try ConfigurationLoader.load(path: options.config) }
        print(
            "ok: \(loaded.registry.specs.count) commands (\(loaded.registry.specs.map(\.name).joined(separator: ", "))), \(loaded.prompts.count) prompts, \(loaded.configuration.schedules.count) schedules"
        )
    }

    /// Runs `body`; a validation failure is printed with every issue and exits with status 2.
    static func loadOrExplain<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as ValidationFailure {
            FileHandle.standardError.write(Data("\(failure)\n".utf8))
            throw ExitCode(2)
        }
    }
}
