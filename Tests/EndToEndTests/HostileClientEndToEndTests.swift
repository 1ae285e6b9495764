import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SlackAPIDouble
import Testing

/// What one unauthenticated client can cost the real server: slow clients are cut off, and a flood
/// of forged requests is answered, counted and audited in bounded form.
@Suite("chatops serve against hostile clients", .serialized)
struct HostileClientEndToEndTests {
    /// A raw socket client (Python's standard library) that behaves badly on purpose and prints how
    /// the server answered: its status line, or `closed` when the server hung up first.
    static let client = #"""
        import socket, sys, time
        port, mode = int(sys.argv[1]), sys.argv[2]
        s = socket.create_connection(("127.0.0.1", port))
        s.settimeout(0.2)
        def answer():
            try:
                data = s.recv(4096)
                return "closed" if not data else data.split(b"\r\n")[0].decode()
            except socket.timeout:
                return None
            except OSError:
                return "closed"
        if mode == "slow-head":
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        elif mode == "slow-get-body":
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n ")
        else:
            s.sendall(b"POST /chat/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{")
        # Dribble one more byte every 200 ms for 8 seconds; print what the server said and whether it hung up.
        said = []
        for _ in range(40):
            result = answer()
            if result == "closed":
                break
            if result:
                said.append(result)
            try:
                s.sendall(b"X-Slow: 1\r\n" if mode == "slow-head" else b" ")
            except OSError:
                break
        else:
            said.append("still open")
        print(" | ".join(said + (["closed"] if said[-1:] != ["still open"] else [])))
        """#

    /// Runs the client to its end, waiting off the concurrency pool (a slow client takes seconds).
    static func run(_ mode: String, port: Int) async throws -> String {
        try await ProcessLauncher.output(of: URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", client, "\(port)", mode], withErrors: false)
            .output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func slowClientsAreCutOffAndTheServerKeepsServing() async throws {
        let bot = try BotProcess(serverSettings: ", idle_timeout_ms: 1000, read_timeout_ms: 1000")
        try await bot.start()
        #expect(try await Self.run("slow-head", port: bot.port) == "closed", "a request head that never ends is dropped at the idle time")
        #expect(
            try await Self.run("slow-body", port: bot.port) == "HTTP/1.1 408 Request Timeout | closed", "a body that does not arrive in time gets 408"
        )
        #expect(try await Self.run("slow-get-body", port: bot.port) == "HTTP/1.1 408 Request Timeout | closed", "also where the route reads no body")
        let chat = WebChatClient(baseURL: bot.baseURL)
        #expect(try await chat.get("/healthz") == "ok\n", "the server still serves")
        #expect(await bot.terminate() == 0)
    }

    @Test func aFloodOfForgedRequestsIsCountedInFullButAuditedOnce() async throws {
        let bot = try BotProcess(
            extraConfiguration: "slack: {signing_secret: flood-secret, bot_token: xoxb-flood, api_url: \"http://127.0.0.1:9/api/\"}")
        try await bot.start()
        let chat = WebChatClient(baseURL: bot.baseURL)
        for index in 0..<200 {
            let status = try await chat.postRaw(
                "/slack/commands", body: "command=%2Fdeploy&text=fraud+v\(index)",
                headers: [
                    "X-Slack-Request-Timestamp": "\(Int(Date().timeIntervalSince1970))",
                    "X-Slack-Signature": "v0=\(String(repeating: "0", count: 64))",
                ])
            #expect(status == 401)
        }
        let metrics = try await chat.get("/metrics")
        let rejected = metrics.split(separator: "\n").first {
            $0.hasPrefix("chatops_inbound_total") && $0.contains("slack") && $0.contains("rejected")
        }
        #expect(rejected?.hasSuffix(" 200") == true, "every forged request is counted: \(rejected ?? "none")")
        #expect(await bot.terminate() == 0)
        let audit = try await bot.runCLI(["audit", "export", "--kind", "auth.rejected"]).output.split(separator: "\n")
        #expect(audit.count == 1, "one audit entry for the minute, not 200: \(audit.count)")
    }
}

/// A page on another site cannot use the local web chat through the operator's browser.
@Suite("chatops serve against cross-site requests", .serialized)
struct CrossSiteRequestTests {
    static func post(_ url: String, body: String, headers: [String: String]) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    @Test func aFormOrScriptFromAnotherSiteIsRefusedAndRunsNothing() async throws {
        let bot = try BotProcess()
        try await bot.start()
        let url = bot.baseURL + "/chat/messages"
        let body = #"{"user":"alice","channel":"ops","text":"deploy fraud v12 --env prod"}"#
        // What a page can send without a preflight: a text/plain body, with the page's Origin.
        #expect(try await Self.post(url, body: body, headers: ["Content-Type": "text/plain", "Origin": "https://evil.example"]) == 403)
        #expect(try await Self.post(url, body: body, headers: ["Content-Type": "text/plain"]) == 415, "a body that is not JSON")
        #expect(try await Self.post(url, body: body, headers: ["Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"]) == 403)
        #expect(
            try await Self.post(url, body: body, headers: ["Content-Type": "application/json", "Origin": "http://127.0.0.1:1"]) == 403,
            "another port is another site")
        let chat = WebChatClient(baseURL: bot.baseURL)
        #expect(try await chat.messages().isEmpty, "nothing was stored")
        // The bot's own origin and programs without an Origin are served.
        #expect(try await Self.post(url, body: body, headers: ["Content-Type": "application/json", "Origin": bot.baseURL]) == 202)
        #expect(await bot.terminate() == 0)
    }
}
