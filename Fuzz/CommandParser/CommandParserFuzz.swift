// libFuzzer target: typed text into the `CommandParser` of the repository's `commands/*.yaml`, with the
// promises of `FuzzChecks.commandParser`. Built and run by `scripts/fuzz CommandParser`.
import ChatOpsCore
import FuzzChecks

let parser: CommandParser = {
    do { return try FuzzChecks.repositoryParser() } catch { fatalError("the repository's command files: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzChecks.run(data, size, target: "CommandParser") { FuzzChecks.commandParser(parser, $0) }
}
