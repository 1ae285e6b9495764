import ChatOpsCore
import Foundation

/// Runs a program from an allow-listed place with templated arguments and no shell.
///
/// The command's action names the `program` (an absolute path inside one of the allowed folders, or
/// an allowed file) and its arguments as `arg1`, `arg2`, … — each rendered template is exactly one
/// argument, so a value can never become two arguments or a shell construct. The program gets only
/// the allowed environment variables plus `CHATOPS_EXECUTION_ID` (the same when a job is retried
/// after a crash, so the program can skip work already done) and `CHATOPS_REQUESTER`; it is stopped
/// after the time limit (SIGTERM, then SIGKILL two seconds later), and only the last `outputBytes` of
/// its output are kept.
public struct ProgramBackend: Backend {
    public struct Settings: Sendable {
        /// Folders (or single files) programs may be run from.
        public var allowed: [String]
        /// Names of environment variables passed through from the bot's environment.
        public var environment: [String]
        public var timeout: Duration
        public var outputBytes: Int

        public init(allowed: [String], environment: [String] = ["PATH"], timeout: Duration = .seconds(60), outputBytes: Int = 64 << 10) {
            self.allowed = allowed
            self.environment = environment
            self.timeout = timeout
            self.outputBytes = outputBytes
        }
    }

    public let name: String
    public static let supportedOperations: Set<String> = ["run"]
    public var operations: Set<String> { Self.supportedOperations }
    let settings: Settings
    let environment: [String: String]

    /// - Parameter environment: the bot's environment, from which allowed variables are passed on.
    public init(name: String, settings: Settings, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.name = name
        self.settings = settings
        self.environment = environment
    }

    public func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        let program = try resolve(try action.parameter("program"))
        let arguments = action.numberedArguments
        var environment = settings.environment.reduce(into: [String: String]()) { $0[$1] = self.environment[$1] }
        environment["CHATOPS_EXECUTION_ID"] = context.executionID
        environment["CHATOPS_REQUESTER"] = context.requester.qualifiedID
        let name = URL(fileURLWithPath: program).lastPathComponent
        await context.progress("running \(name)")
        let started = ContinuousClock.now
        let result = try await ProgramRun.run(
            program, arguments: arguments, environment: environment, timeout: settings.timeout, outputBytes: settings.outputBytes)
        let elapsed = Double((ContinuousClock.now - started).milliseconds) / 1000
        let took = String(format: "%.1f s", elapsed)
        let facts = [Fact("exit status", result.timedOut ? "stopped" : "\(result.status)"), Fact("took", took)]
        if result.timedOut {
            return Outcome(
                status: .failed,
                headline:
                    "`\(name)` was stopped after the time limit of \(DurationFormat.format(seconds: Int(settings.timeout.components.seconds))).",
                facts: facts, log: result.output)
        }
        return Outcome(
            status: result.status == 0 ? .succeeded : .failed,
            headline: result.status == 0 ? "`\(name)` finished." : "`\(name)` failed with exit status \(result.status).",
            facts: facts, log: result.output.isEmpty ? nil : result.output)
    }

    /// The program's real path (symbolic links resolved), if it lies inside an allowed place.
    func resolve(_ path: String) throws(BackendError) -> String {
        guard path.hasPrefix("/") else { throw BackendError("`\(path)` is not an absolute path") }
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let inside = settings.allowed.contains { place in
            let allowed = URL(fileURLWithPath: place).resolvingSymlinksInPath().path
            return real == allowed || real.hasPrefix(allowed.hasSuffix("/") ? allowed : allowed + "/")
        }
        guard inside else { throw BackendError("`\(path)` is not in a folder this bot may run programs from") }
        guard FileManager.default.isExecutableFile(atPath: real) else { throw BackendError("`\(path)` is not an executable file") }
        return real
    }
}
