import AsyncHTTPClient
import ChildProcesses
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The web console in a real browser: headless Chromium driven by Selenium (`Tests/Browser`), against
/// `chatops serve` with the repository's commands. A prod deploy asked by alice, her own Approve
/// refused in the page, bob's approval, the progress message edited live, the result shown; a second
/// request rejected from the keyboard; the operations page showing all of it.
@Suite("The web console in a browser", .serialized)
struct ConsoleBrowserTests {
    static let scripts = BotProcess.repositoryRoot.appendingPathComponent("Tests/Browser")

    /// Runs a browser script against the bot; its output, and its exit status.
    static func drive(_ script: String, _ arguments: [String]) async throws -> (output: String, status: Int32) {
        guard let python = ProcessInfo.processInfo.environment["CHATOPS_BROWSER_PYTHON"], FileManager.default.isExecutableFile(atPath: python)
        else {
            throw BotProcessError(
                "CHATOPS_BROWSER_PYTHON is not set to a Python with Selenium; run the tests with scripts/test, which installs Chromium")
        }
        let (status, output) = try await ProcessLauncher.output(
            of: URL(fileURLWithPath: python), [scripts.appendingPathComponent(script).path] + arguments)
        return (output, status)
    }

    @Test(.timeLimit(.minutes(3)))
    func aProdDeployIsAskedRefusedToItsRequesterApprovedByAnotherAndFollowedLiveInThePage() async throws {
        let bot = try BotProcess(
            extraConfiguration: """
                schedules:
                  - {name: nightly-status, cron: "0 2 * * *", command: status, as: alice, platform: webchat, channel: reports}
                """, sandbox: "{step_ms: 2500}")
        try await bot.start()
        let shots = ProcessInfo.processInfo.environment["CHATOPS_SCREENSHOTS"]
        let (output, status) = try await Self.drive("console_chat.py", [bot.baseURL] + (shots.map { [$0] } ?? []))
        #expect(status == 0, "\(output)")
        #expect(output.contains("completion: deploy fraud-model v12 --env staging, deploy fraud-model v12 --env prod"), "\(output)")
        #expect(output.contains("alice's own Approve refused in the page"), "\(output)")
        #expect(output.contains("progress seen live: True"), "\(output)")
        #expect(output.contains("metrics charted: p95 latency: "), "\(output)")
        #expect(output.contains("bob rejected the second request from the keyboard"), "\(output)")
        #expect(output.contains("operations: v12 succeeded, v13 rejected, v14 awaiting approval"), "\(output)")
        #expect(output.contains("operations: audit chain intact; sandbox healthy"), "\(output)")
        for page in ["chat", "operations"] {
            #expect(output.contains("accessibility: \(page) passes contrast, names and phone width in light and dark"), "\(output)")
        }
        #expect(output.contains("no script or loading errors in the browser's console"), "\(output)")
        #expect(output.hasSuffix("ok\n"), "\(output)")
        let deploys = try await WebChatClient(baseURL: bot.baseURL).messages(channel: "console").filter {
            $0.author == "bot" && $0.text.contains("Deployed fraud-model v12 to prod")
        }
        #expect(deploys.count == 1, "the page's clicks ran the deploy once")
        #expect(await bot.terminate() == 0)
    }

    /// DNS rebinding: a site whose name points at 127.0.0.1 sends its own name as the host. A local
    /// console (no tokens) answers only to loopback names, for its pages and the web chat alike.
    @Test func aPageOnARebindingNameCannotUseTheLocalConsole() async throws {
        let bot = try BotProcess()
        try await bot.start()
        for (host, path, expected) in [
            ("evil.example:\(bot.port)", "/console/directory", 403), ("evil.example:\(bot.port)", "/console", 403),
            ("evil.example:\(bot.port)", "/chat/messages?channel=console", 403), ("127.0.0.1.evil.example", "/console/directory", 403),
            ("evil.example:\(bot.port)", "/console/operations", 403), ("evil.example:\(bot.port)", "/chat/events?channel=console", 403),
            ("localhost:\(bot.port)", "/console/operations", 200),
            ("localhost:\(bot.port)", "/console/directory", 200), ("127.0.0.1:\(bot.port)", "/console", 200), ("[::1]:\(bot.port)", "/console", 200),
        ] {
            var request = HTTPClientRequest(url: bot.baseURL + path)
            request.headers.replaceOrAdd(name: "Host", value: host)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            #expect(Int(response.status.code) == expected, "\(host) \(path)")
        }
        var post = HTTPClientRequest(url: bot.baseURL + "/chat/messages")
        post.method = .POST
        post.headers.replaceOrAdd(name: "Host", value: "evil.example:\(bot.port)")
        post.headers.add(name: "Content-Type", value: "application/json")
        post.body = .bytes(ByteBuffer(string: #"{"user": "alice", "channel": "console", "text": "deploy fraud-model v12 --env prod"}"#))
        let refused = try await HTTPClient.shared.execute(post, timeout: .seconds(10))
        _ = try await refused.body.collect(upTo: 1 << 20)
        #expect(refused.status.code == 403)
        #expect(try await WebChatClient(baseURL: bot.baseURL).messages(channel: "console").isEmpty, "nothing was posted")
        #expect(await bot.terminate() == 0)
    }
}
