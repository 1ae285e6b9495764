import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The web console, served by the binary with no build step and nothing from other sites: `/` leads
/// to `/console`, the chat page, which uses the web chat's API (`/chat/…`) like any client, as the
/// person picked (a local web chat) or the owner of the token entered. `/console/directory` lists the
/// people to pick and the commands, for completion.
struct ConsoleRoutes: Sendable {
    let directory: ConsoleDirectory

    /// Only the console's own files and API: no inline script or style, no other origin, no framing.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    func register(on router: Router<BotRequestContext>) {
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/console"]) }
        router.get("console") { _, _ in Self.asset(ConsoleAssets.page, type: "text/html; charset=utf-8") }
        router.get("console/console.js") { _, _ in Self.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("console/console.css") { _, _ in Self.asset(ConsoleAssets.style, type: "text/css; charset=utf-8") }
        router.get("console/directory") { [directory] request, _ in
            try BrowserRequestGuard.check(request)
            return try JSONBody.response(directory)
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
