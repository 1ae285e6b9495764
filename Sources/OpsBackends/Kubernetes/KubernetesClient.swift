import AsyncHTTPClient
import ChatOpsCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import OutboundHTTP

/// A small client for the Kubernetes API over AsyncHTTPClient: read, create, JSON merge patch
/// (`application/merge-patch+json`, RFC 7386) and list, with the cluster's CA, bearer token or
/// client certificate. Failures become `KubernetesError` with the API's own `Status`.
public final class KubernetesClient: Sendable {
    public let access: ClusterAccess
    let http: HTTPClient
    let ownsClient: Bool
    let timeout: Duration

    /// - Throws: `BackendError` when the CA or client certificate cannot be read.
    public init(access: ClusterAccess, timeout: Duration = .seconds(30)) throws(BackendError) {
        self.access = access
        self.timeout = timeout
        if access.server.hasPrefix("https://") {
            var tls = TLSConfiguration.makeClientConfiguration()
            do {
                if let ca = access.certificateAuthority { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca)) }
                if let certificate = access.clientCertificate, let key = access.clientKey {
                    tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
                }
            } catch {
                throw BackendError("the cluster's certificates cannot be read: \(error)")
            }
            if access.insecureSkipTLSVerify { tls.certificateVerification = .none }
            http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls, redirectConfiguration: .disallow))
            ownsClient = true
        } else {
            http = HTTPClient.backends
            ownsClient = false
        }
    }

    deinit {
        if ownsClient { try? http.syncShutdown() }
    }

    /// The token from its file when there is one (it may have been rotated), else the configured one.
    var currentToken: String? {
        access.tokenFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? access.token
    }

    public func get(_ path: String, _ operation: String) async throws -> JSONValue {
        try await send(.GET, path, body: nil, contentType: nil, operation)
    }

    public func create(_ path: String, _ object: JSONValue, _ operation: String) async throws -> JSONValue {
        try await send(.POST, path, body: object, contentType: "application/json", operation)
    }

    public func mergePatch(_ path: String, _ patch: JSONValue, _ operation: String) async throws -> JSONValue {
        try await send(.PATCH, path, body: patch, contentType: "application/merge-patch+json", operation)
    }

    /// Plain text, such as a pod's log.
    public func text(_ path: String, _ operation: String) async throws -> String {
        let (status, data) = try await raw(.GET, path, body: nil, contentType: nil)
        guard status == 200 else { throw KubernetesError(code: status, body: data, operation: operation) }
        return String(decoding: data, as: UTF8.self)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: JSONValue?, contentType: String?, _ operation: String) async throws -> JSONValue {
        let (status, data) = try await raw(method, path, body: body, contentType: contentType)
        guard (200..<300).contains(status) else { throw KubernetesError(code: status, body: data, operation: operation) }
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    private func raw(_ method: HTTPMethod, _ path: String, body: JSONValue?, contentType: String?) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: access.server + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token = currentToken { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body, let contentType {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: try body.data()))
        }
        do {
            let answer = try await http.exchange(request, timeout: timeout, limit: .fail(bytes: 16 << 20))
            return (Int(answer.status.code), Data(answer.body.readableBytesView))
        } catch {
            throw BackendError("the Kubernetes API at \(access.server) did not answer: \(error)", unavailable: true)
        }
    }
}
