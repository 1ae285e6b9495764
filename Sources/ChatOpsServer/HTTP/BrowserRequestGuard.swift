import Foundation
import HTTPTypes
import Hummingbird

/// Keeps web pages on other sites from using the web chat through a visitor's browser (cross-site
/// request forgery): a local web chat trusts the `user` a request names, so a page the operator
/// happens to open could otherwise post and approve commands as anyone.
///
/// A browser names the page's origin (`Origin`) and how it relates to the target (`Sec-Fetch-Site`)
/// on every request a script sends; only the bot's own origin passes. Requests from programs (curl,
/// tests, other services) carry neither header and pass. Bodies must also be `application/json`
/// (`JSONBody.decode`), which a page on another site cannot send without a preflight the bot never answers.
enum BrowserRequestGuard {
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// - Throws: 403 for a request a page on another site made.
    static func check(_ request: Request) throws {
        if let site = request.headers[fetchSite], site != "same-origin", site != "none" {
            throw HTTPError(.forbidden, message: "requests from other sites are refused")
        }
        if let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            guard let schemeEnd = origin.range(of: "://"), origin[schemeEnd.upperBound...] == host[...] else {
                throw HTTPError(.forbidden, message: "requests from other sites are refused")
            }
        }
    }
}
