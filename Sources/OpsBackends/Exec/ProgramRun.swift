import Foundation
import Synchronization

/// One run of a program: its exit status and the tail of its output (stdout and stderr together).
///
/// Foundation starts the program as the leader of its own process group, so signalling the group
/// reaches the program and everything it started: when the time limit passes (SIGTERM, then SIGKILL
/// two seconds later; a shell waiting on `sleep` ignores SIGTERM until then), when the program exits
/// and leaves children behind, and when the job running it is cancelled. Foundation on Linux sees
/// a program end only when everything that inherited its descriptors has closed them, so a child left
/// running would hold the run open: the program's own exit is watched for in `/proc` instead.
struct ProgramRun: Sendable {
    var status: Int32
    var output: String
    var timedOut: Bool

    static func run(
        _ path: String, arguments: [String], environment: [String: String], timeout: Duration, outputBytes: Int
    ) async throws -> ProgramRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let tail = Mutex(OutputTail(limit: outputBytes))
        let timedOut = Mutex(false)
        let started = Mutex<pid_t?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let reading = DispatchGroup()
                reading.enter()
                DispatchQueue.global().async {
                    let handle = pipe.fileHandleForReading
                    while true {
                        let chunk = handle.availableData
                        if chunk.isEmpty { break }
                        tail.withLock { $0.append(chunk) }
                    }
                    reading.leave()
                }
                process.terminationHandler = { finished in
                    kill(-finished.processIdentifier, SIGKILL)
                    DispatchQueue.global().async {
                        // Output still held open by something that escaped the group is waited for briefly only.
                        _ = reading.wait(timeout: .now() + 2)
                        continuation.resume(
                            returning: ProgramRun(
                                status: finished.terminationStatus, output: tail.withLock { $0.text }, timedOut: timedOut.withLock { $0 }))
                    }
                }
                do {
                    try process.run()
                } catch {
                    try? pipe.fileHandleForWriting.close()
                    continuation.resume(throwing: error)
                    return
                }
                try? pipe.fileHandleForWriting.close()
                let group = process.processIdentifier
                started.withLock { $0 = group }
                Self.stopLeftoversWhenTheProgramExits(group)
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                    guard process.isRunning else { return }
                    timedOut.withLock { $0 = true }
                    kill(-group, SIGTERM)
                    DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                        kill(-group, SIGKILL)
                    }
                }
            }
        } onCancel: {
            if let group = started.withLock({ $0 }) { kill(-group, SIGKILL) }
        }
    }

    /// Checks every 100 ms whether the program has exited (a zombie not yet reaped, or gone), then
    /// stops the rest of its process group.
    static func stopLeftoversWhenTheProgramExits(_ pid: pid_t) {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        timer.setEventHandler {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            // The state is the field after the command name, which is in parentheses.
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            if state == "Z" { kill(-pid, SIGKILL) }
            // Reaped already: the termination handler stopped the group.
            if stat.isEmpty || state == "Z" { timer.cancel() }
        }
        timer.resume()
    }
}
