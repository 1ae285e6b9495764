// libFuzzer target: cron expressions into `CronSchedule`, then `next(after:)` and `missedFirings(after:until:)`
// over one day (in UTC, or across a clock change), with the promises of `FuzzChecks.cron`.
// Built and run by `scripts/fuzz Cron`.
import FuzzChecks

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCron(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzChecks.run(data, size, target: "Cron") { FuzzChecks.cron($0) }
}
