import AsyncHTTPClient
import ChatOpsCore
import Foundation
import NIOCore
import NIOHTTP1
import OutboundHTTP

/// A JSON API the bot calls: its base URL, the headers that carry credentials, a deadline per
/// request, and the client. Transport failures become a `BackendError` naming the service.
struct APIEndpoint: Sendable {
    /// Such as `Prometheus` or `MLflow`, for messages.
    let service: String
    let baseURL: String
    let headers: [String: String]
    let timeout: Duration
    let http: HTTPClient

    init(service: String, baseURL: String, headers: [String: String], timeout: Duration, http: HTTPClient) {
        self.service = service
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.headers = headers
        self.timeout = timeout
        self.http = http
    }

    /// `path` with query parameters, under the base URL. A `+` travels as %2B (PromQL uses it).
    func url(_ path: String, query: [(String, String)]) throws(BackendError) -> String {
        guard var components = URLComponents(string: baseURL + path) else { throw BackendError("the \(service) URL `\(baseURL)` is not valid") }
        if !query.isEmpty {
            components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            let encoded = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            components.percentEncodedQuery = encoded
        }
        guard let url = components.url else { throw BackendError("the \(service) URL `\(baseURL)` is not valid") }
        return url.absoluteString
    }

    /// Sends a request and returns the status and body, whatever the status.
    func send(_ method: HTTPMethod, _ url: String, json body: JSONValue? = nil) async throws(BackendError) -> (status: Int, body: Data) {
        let data: Data?
        do { data = try body?.data() } catch { throw BackendError("a request to \(service) could not be encoded: \(error)") }
        return try await send(method, url, body: data.map { ($0, "application/json") })
    }

    /// Sends a request with a body of any type (an artifact) and returns the status and body.
    func send(_ method: HTTPMethod, _ url: String, body: (data: Data, contentType: String)?) async throws(BackendError) -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        do {
            if let body {
                request.headers.add(name: "Content-Type", value: body.contentType)
                request.body = .bytes(ByteBuffer(bytes: body.data))
            }
            let answer = try await http.exchange(request, timeout: timeout, limit: .fail(bytes: 16 << 20))
            return (Int(answer.status.code), Data(answer.body.readableBytesView))
        } catch {
            throw BackendError("\(service) at \(baseURL) did not answer: \(error)", unavailable: true)
        }
    }
}
