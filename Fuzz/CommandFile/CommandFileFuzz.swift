// libFuzzer target: a command file's text into `CommandFile(file:text:)` and `CommandFileValidator`, with the
// promises of `FuzzChecks.commandFile`. Built and run by `scripts/fuzz CommandFile`.
import ChatOpsCore
import FuzzChecks

let validator: CommandFileValidator = {
    do { return try FuzzChecks.repositoryValidator() } catch { fatalError("the repository's prompts: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzChecks.run(data, size, target: "CommandFile") { FuzzChecks.commandFile(validator, $0) }
}
