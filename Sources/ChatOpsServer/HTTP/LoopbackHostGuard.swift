import Hummingbird

/// Keeps a web page from reaching a local web chat through DNS rebinding: a site whose name is made
/// to point at 127.0.0.1 sends its own name as the `Host` (and as a matching `Origin`), which
/// `BrowserRequestGuard` alone would take for the bot's own site. Where the web chat trusts the
/// `user` a request names (no tokens), only a loopback name or address is accepted as the host.
enum LoopbackHostGuard {
    /// - Throws: 403 when the request names a host other than `localhost`, `127.x.x.x` or `[::1]`.
    static func check(_ request: Request) throws {
        guard let authority = request.head.authority?.lowercased(), !authority.isEmpty else { return }
        let host: Substring
        if authority.hasPrefix("[") {
            host = authority.prefix { $0 != "]" }.dropFirst()
        } else {
            host = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        }
        let isLoopback = host == "localhost" || host == "::1" || host.hasPrefix("127.") && host.split(separator: ".").count == 4
        guard isLoopback else { throw HTTPError(.forbidden, message: "this web chat answers only on a loopback address (localhost, 127.0.0.1)") }
    }
}
