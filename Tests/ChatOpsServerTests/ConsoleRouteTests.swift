import ChatOpsServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Web console routes")
struct ConsoleRouteTests {
    let routes = WebChatRouteTests()

    @Test func theRootLeadsToTheConsoleWhosePagesComeFromTheBinaryUnderAStrictPolicy() async throws {
        let app = try routes.runtime().buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/console")
            }
            for (path, type, marker) in [
                ("/console", "text/html", "<script src=\"/console/console.js\" defer></script>"),
                ("/console/console.js", "text/javascript", "textContent"), ("/console/console.css", "text/css", "prefers-color-scheme: dark"),
                ("/console/common.js", "text/javascript", "createElementNS"), ("/console/ops", "text/html", "<h2 id=\"audit-title\">Audit log</h2>"),
                ("/console/ops.js", "text/javascript", "/console/operations"),
            ] {
                try await client.execute(uri: path, method: .get) { response in
                    // The SVG namespace names the kind of element a chart is; nothing is fetched from it.
                    let body = String(buffer: response.body).replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
                    #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix(type) == true, "\(path)")
                    #expect(body.contains(marker), "\(path)")
                    #expect(!body.contains("http://") && !body.contains("https://"), "\(path) loads nothing from elsewhere")
                    let policy = response.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                    #expect(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'"), "\(path)")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(
                        !body.contains("innerHTML") && !body.contains("insertAdjacentHTML") && !body.contains("eval("),
                        "\(path) sets text, never markup")
                }
            }
        }
    }

    @Test func theDirectoryListsThePeopleOfRolesAndTheCommandsWithTheirChoices() async throws {
        let app = try routes.runtime().buildApplication(prometheus: nil, port: 0)
        try await app.test(.router) { client in
            try await client.execute(uri: "/console/directory", method: .get) { response in
                let directory = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(directory["sign_in"] as? String == "local")
                #expect(directory["people"] as? [String] == ["alice", "bob"])
                let commands = try #require(directory["commands"] as? [[String: Any]])
                let deploy = try #require(commands.first { $0["name"] as? String == "deploy" })
                let arguments = try #require(deploy["args"] as? [[String: Any]])
                #expect(arguments.first { $0["name"] as? String == "env" }?["values"] as? [String] == ["staging", "prod"])
                #expect(
                    arguments.map { "\($0["name"] ?? "")=\($0["positional"] as? Bool ?? false)" }.prefix(3) == [
                        "model=true", "version=true", "env=false",
                    ],
                    "which arguments are bare words, for completion")
            }
            // A page on another site cannot read it through a visitor's browser.
            try await client.execute(uri: "/console/directory", method: .get, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]) {
                #expect($0.status == .forbidden)
            }
        }
        let signedIn = try routes.runtime(users: ["alice": "alice-token"]).buildApplication(prometheus: nil, port: 0)
        try await signedIn.test(.router) { client in
            try await client.execute(uri: "/console/directory", method: .get) { response in
                let directory = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(
                    directory.keys.sorted() == ["sign_in"] && directory["sign_in"] as? String == "tokens", "without a token, only that one is needed")
            }
            try await client.execute(uri: "/console/directory", method: .get, headers: [.authorization: "Bearer wrong"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/chat/events?channel=console", method: .get) {
                #expect($0.status == .unauthorized, "the live transcript needs a token too")
            }
            try await client.execute(uri: "/console/directory", method: .get, headers: [.authorization: "Bearer alice-token"]) { response in
                let directory = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect((directory["people"] as? [String])?.isEmpty == true, "nobody to pick: a token says who")
                #expect((directory["commands"] as? [[String: Any]])?.isEmpty == false)
            }
        }
    }
}
