import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The web console, served by the binary with no build step and nothing from other sites: `/` leads
/// to `/console`, the chat page, which uses the web chat's API (`/chat/…`) like any client, as the
/// person picked (a local web chat) or the owner of the token entered. `/console/directory` lists the
/// people to pick and the commands, for completion; with tokens, only to a valid token.
/// `/console/ops` is the operations page; its data, `/console/operations`, is for a local console or
/// the owner of a token who holds the admin role (it shows everyone's commands and the audit log).
struct ConsoleRoutes: Sendable {
    let directory: ConsoleDirectory
    /// The web chat's guards and sign-in, which the console's routes share.
    let chat: WebChatRoutes
    let operations: SharedSnapshot
    let engine: Engine

    /// Only the console's own files and API: no inline script or style, no other origin, no framing.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    func register(on router: Router<BotRequestContext>) {
        router.get("/") { [chat] request, _ in
            try chat.guardBrowsers(request)
            return Response(status: .seeOther, headers: [.location: "/console"])
        }
        for (path, text, type) in [
            ("console", ConsoleAssets.page, "text/html"), ("console/console.js", ConsoleAssets.script, "text/javascript"),
            ("console/console.css", ConsoleAssets.style, "text/css"), ("console/ops", ConsoleAssets.operationsPage, "text/html"),
            ("console/ops.js", ConsoleAssets.operationsScript, "text/javascript"),
            ("console/common.js", ConsoleAssets.commonScript, "text/javascript"),
        ] {
            router.get(RouterPath(path)) { [chat] request, _ in
                try chat.guardBrowsers(request)
                return Self.asset(text, type: type + "; charset=utf-8")
            }
        }
        router.get("console/directory") { [chat, directory] request, _ in
            try chat.guardBrowsers(request)
            // With tokens, a request without a valid one learns only that a token is needed.
            if directory.signIn == "tokens", request.headers[.authorization] == nil {
                return try JSONBody.response(ConsoleDirectory.SignInOnly(signIn: directory.signIn))
            }
            _ = try await chat.authenticate(request)
            return try JSONBody.response(directory)
        }
        router.get("console/operations") { [self] request, _ in
            try chat.guardBrowsers(request)
            if let user = try await chat.authenticate(request) {
                let person = try chat.access.principal(verified: user, named: nil)
                guard engine.roles.roles(of: person).contains(engine.adminRole) else {
                    throw HTTPError(.forbidden, message: "the operations page is for people with the `\(engine.adminRole)` role")
                }
            }
            return try JSONBody.response(try await operations.current(), keys: .convertToSnakeCase)
        }
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
