import Foundation

/// A URL prefix an endpoint must be under, compared by its parts, not its text: the same scheme,
/// host and port, no credentials in the endpoint, and a path that continues the prefix's at a `/`
/// (`https://models.internal/` allows `https://models.internal/fraud/v1`, never
/// `https://models.internal.evil.example/` or `https://models.internal@evil.example/`).
struct EndpointPrefix: Sendable {
    let scheme: String
    let host: String
    let port: Int
    let path: String

    /// Nil when `text` is not an http(s) URL with a host.
    init?(_ text: String) {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = parts.host?.lowercased(), !host.isEmpty, parts.user == nil, parts.password == nil
        else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = parts.port ?? (scheme == "https" ? 443 : 80)
        self.path = parts.path.hasSuffix("/") ? parts.path : parts.path + "/"
    }

    func allows(_ endpoint: String) -> Bool {
        guard let other = EndpointPrefix(endpoint) else { return false }
        return other.scheme == scheme && other.host == host && other.port == port && other.path.hasPrefix(path)
    }
}
