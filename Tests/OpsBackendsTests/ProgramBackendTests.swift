import ChatOpsCore
import Foundation
import OpsBackends
import Testing

@Suite("Program actions")
struct ProgramBackendTests {
    /// A folder of executable scripts, with a secret in the environment the programs must not see.
    final class Scripts: Sendable {
        let folder: URL
        let outside: URL

        init() throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-programs-\(UUID().uuidString)")
            folder = root.appendingPathComponent("bin")
            outside = root.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try write(
                "echo-args",
                "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\necho \"id=$CHATOPS_EXECUTION_ID by=$CHATOPS_REQUESTER secret=${SECRET_TOKEN:-none} path=${PATH:+set}\"\n"
            )
            try write("fail", "#!/bin/sh\necho 'training data missing' >&2\nexit 3\n")
            try write("slow", "#!/bin/sh\necho started\nsleep 30\necho never\n")
            try write("leaves-child", "#!/bin/sh\n(sleep 30; echo late) &\necho parent done\n")
            try write("chatty", "#!/bin/sh\ni=0\nwhile [ $i -lt 5000 ]; do echo \"line $i\"; i=$((i+1)); done\necho last line\n")
            try write("evil", "#!/bin/sh\necho escaped\n", in: outside)
            try FileManager.default.createSymbolicLink(
                at: folder.appendingPathComponent("link"), withDestinationURL: outside.appendingPathComponent("evil"))
        }

        /// Writes an executable script. The executable itself is written by a child process
        /// (`install`), never through a descriptor of this process: a program started at the same
        /// moment by another test would inherit such a descriptor, and running the script while any
        /// process holds it open for writing fails with "Text file busy" (ETXTBSY).
        func write(_ name: String, _ text: String, in place: URL? = nil) throws {
            let url = (place ?? folder).appendingPathComponent(name)
            let source = url.deletingLastPathComponent().appendingPathComponent(".\(name).source")
            try text.write(to: source, atomically: true, encoding: .utf8)
            let install = Process()
            install.executableURL = URL(fileURLWithPath: "/usr/bin/install")
            install.arguments = ["-m", "755", source.path, url.path]
            try install.run()
            install.waitUntilExit()
            guard install.terminationStatus == 0 else { throw BackendError("install \(name) failed") }
        }

        func backend(timeout: Duration = .seconds(10), outputBytes: Int = 4096) -> ProgramBackend {
            ProgramBackend(
                name: "jobs", settings: .init(allowed: [folder.path], environment: ["PATH"], timeout: timeout, outputBytes: outputBytes),
                environment: ["PATH": "/usr/bin:/bin", "SECRET_TOKEN": "hunter22"])
        }

        deinit { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    }

    @Test func eachTemplateIsOneArgumentWithNoShellAndOnlyAllowedEnvironment() async throws {
        let scripts = try Scripts()
        let outcome = try await scripts.backend().execute(
            action(
                "jobs", "run",
                [
                    "program": scripts.folder.appendingPathComponent("echo-args").path,
                    "arg1": "--model", "arg2": "fraud detector; rm -rf /", "arg3": "$(whoami)", "arg5": "not reached",
                ]), context: ProgressMessages().context("exec-42"))
        #expect(outcome.status == .succeeded)
        let log = try #require(outcome.log)
        #expect(log.contains("[--model]\n[fraud detector; rm -rf /]\n[$(whoami)]\n"), "\(log)")
        #expect(!log.contains("not reached"), "arguments stop at the first missing number")
        #expect(log.contains("id=exec-42 by=test:alice secret=none path=set"))
        #expect(outcome.facts.first == Fact("exit status", "0"))
    }

    @Test func aFailingProgramReportsItsStatusAndOutput() async throws {
        let scripts = try Scripts()
        let outcome = try await scripts.backend().execute(
            action("jobs", "run", ["program": scripts.folder.appendingPathComponent("fail").path]), context: ProgressMessages().context())
        #expect(outcome.status == .failed)
        #expect(outcome.headline == "`fail` failed with exit status 3.")
        #expect(outcome.log == "training data missing\n")
    }

    @Test func aProgramPastItsTimeLimitIsStopped() async throws {
        let scripts = try Scripts()
        let outcome = try await scripts.backend(timeout: .milliseconds(500)).execute(
            action("jobs", "run", ["program": scripts.folder.appendingPathComponent("slow").path]), context: ProgressMessages().context())
        #expect(outcome.status == .failed)
        #expect(outcome.headline.contains("stopped after the time limit"))
        #expect(outcome.log?.contains("started") == true && outcome.log?.contains("never") == false)
    }

    @Test func childrenLeftBehindAreStoppedWithTheProgram() async throws {
        let scripts = try Scripts()
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await scripts.backend().execute(
            action("jobs", "run", ["program": scripts.folder.appendingPathComponent("leaves-child").path]), context: ProgressMessages().context())
        #expect(outcome.status == .succeeded)
        #expect(outcome.log == "parent done\n")
        #expect(clock.now - started < .seconds(10), "the background child holding the output was stopped, not waited for")
    }

    @Test func onlyTheEndOfALongOutputIsKept() async throws {
        let scripts = try Scripts()
        let outcome = try await scripts.backend(outputBytes: 200).execute(
            action("jobs", "run", ["program": scripts.folder.appendingPathComponent("chatty").path]), context: ProgressMessages().context())
        let log = try #require(outcome.log)
        #expect(log.hasSuffix("last line\n"))
        #expect(log.hasPrefix("[… "), "says how much was dropped")
        #expect(log.utf8.count < 260)
    }

    @Test(arguments: ["elsewhere/evil", "bin/link", "bin/../elsewhere/evil", "bin/missing"])
    func programsOutsideTheAllowedPlacesAreRefused(relative: String) async throws {
        let scripts = try Scripts()
        let path = scripts.folder.deletingLastPathComponent().appendingPathComponent(relative).path
        await #expect(throws: BackendError.self) {
            _ = try await scripts.backend().execute(action("jobs", "run", ["program": path]), context: ProgressMessages().context())
        }
        await #expect(throws: BackendError.self) {
            _ = try await scripts.backend().execute(action("jobs", "run", ["program": "echo-args"]), context: ProgressMessages().context())
        }
    }
}
