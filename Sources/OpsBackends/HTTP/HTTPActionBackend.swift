import AsyncHTTPClient
import ChatOpsCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OutboundHTTP

/// Calls an HTTP API from a command: Argo CD, Airflow, GitHub Actions, an internal service.
///
/// The backend (in `chatops.yaml`) holds the base URL and the headers that carry credentials, so
/// secrets never appear in command files, and a command can only reach paths under that base URL.
/// The command's action gives, as templates: `method` (default GET), `path`, `body` (JSON),
/// `success` (statuses such as `2xx`, `200,202`, `200-299`; default `2xx`) and `fields`
/// (comma-separated dotted paths of the JSON response to report, such as `status.sync.status`).
public struct HTTPActionBackend: Backend {
    public struct Settings: Sendable {
        public var baseURL: String
        /// Sent with every request (`Authorization: Bearer …`); values are secrets.
        public var headers: [String: String]
        public var timeout: Duration
        /// A header carrying the execution id (such as `Idempotency-Key`), for APIs that deduplicate
        /// requests: a job retried after a crash then does not trigger the action twice.
        public var idempotencyHeader: String?

        public init(baseURL: String, headers: [String: String] = [:], timeout: Duration = .seconds(30), idempotencyHeader: String? = nil) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.headers = headers
            self.timeout = timeout
            self.idempotencyHeader = idempotencyHeader
        }
    }

    public let name: String
    public static let supportedOperations: Set<String> = ["request"]
    public var operations: Set<String> { Self.supportedOperations }
    let settings: Settings
    let http: HTTPClient
    static let maxResponseBytes = 1 << 20

    public init(name: String, settings: Settings, http: HTTPClient = .backends) {
        self.name = name
        self.settings = settings
        self.http = http
    }

    public func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
        let method = HTTPMethod(rawValue: (action.optionalParameter("method") ?? "GET").uppercased())
        let path = try action.parameter("path")
        let segments = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/").map { $0.lowercased() } } ?? []
        guard path.hasPrefix("/"), !path.contains("://"), !path.hasPrefix("//"),
            !segments.contains(where: { [".", "..", "%2e", "%2e%2e", ".%2e", "%2e."].contains($0) }),
            let url = URL(string: settings.baseURL + path),
            url.host == URL(string: settings.baseURL)?.host
        else {
            throw BackendError("`\(path)` is not a path under \(settings.baseURL)")
        }
        guard let success = SuccessCondition(action.optionalParameter("success") ?? "2xx") else {
            throw BackendError("`success` must list statuses such as 2xx, 200,202 or 200-299")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in settings.headers { request.headers.add(name: name, value: value) }
        if let header = settings.idempotencyHeader { request.headers.add(name: header, value: context.executionID) }
        if let body = action.optionalParameter("body") {
            guard (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) != nil else {
                throw BackendError("the request body is not valid JSON after filling in the arguments")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        await context.progress("\(method.rawValue) \(path)")
        let response: HTTPExchange
        do {
            response = try await http.exchange(request, timeout: settings.timeout, limit: .truncate(bytes: Self.maxResponseBytes))
        } catch let error as DeadlineExceeded {
            throw BackendError("\(method.rawValue) \(path) got \(error).", unavailable: true)
        } catch {
            throw BackendError("\(method.rawValue) \(path) failed: \(Self.describe(error)).", unavailable: true)
        }
        let text = String(buffer: response.body)
        let status = Int(response.status.code)
        let ok = success.accepts(status)
        let document = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        var facts = [Fact("status", "\(status) \(response.status.reasonPhrase)")]
        for field in (action.optionalParameter("fields") ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !field.isEmpty {
            facts.append(Fact(field, document.flatMap { JSONFields.value(at: field, in: $0) } ?? "–"))
        }
        return Outcome(
            status: ok ? .succeeded : .failed,
            headline:
                "\(method.rawValue) \(path) answered \(status) \(response.status.reasonPhrase)\(ok ? "." : ", which this command does not count as success.")",
            facts: facts, log: ok ? nil : redacted(String(text.prefix(1_000))))
    }

    /// The response as shown to people, without the configured credentials should the server echo them.
    private func redacted(_ text: String) -> String {
        let secrets = settings.headers.values.flatMap { [$0] + $0.split(separator: " ").map(String.init) }.filter { $0.count >= 8 }
        return secrets.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "[REDACTED]") }
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
