import AsyncHTTPClient

extension HTTPClient {
    /// The client backends call other services with. It follows no redirects: a `3xx` is the
    /// answer. Following one could carry credential headers (API keys, the idempotency header) and
    /// a request body to whatever host the `Location` names; AsyncHTTPClient strips only
    /// `Authorization` and cookies on a cross-host redirect. Created once, for the process.
    public static let backends = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
}
