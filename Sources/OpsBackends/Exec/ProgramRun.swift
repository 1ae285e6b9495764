import Foundation
import Synchronization

/// One run of a program: its exit status and the tail of its output (stdout and stderr together).
struct ProgramRun: Sendable {
    var status: Int32
    var output: String
    var timedOut: Bool

    static func run(_ path: String, arguments: [String], environment: [String: String], timeout: Duration, outputBytes: Int) async throws -> ProgramRun {
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
        return try await withCheckedThrowingContinuation { continuation in
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
                DispatchQueue.global().async {
                    // A child the program left running may hold the output open: wait for it briefly only.
                    _ = reading.wait(timeout: .now() + 2)
                    continuation.resume(returning: ProgramRun(
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
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                guard process.isRunning else { return }
                timedOut.withLock { $0 = true }
                // Foundation starts the program as the leader of its own process group: signalling the
                // group stops it and whatever it started (a shell waiting on `sleep` ignores SIGTERM until then).
                let group = process.processIdentifier
                kill(-group, SIGTERM)
                process.terminate()
                DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                    kill(-group, SIGKILL)
                    if process.isRunning { kill(group, SIGKILL) }
                }
            }
        }
    }
}
