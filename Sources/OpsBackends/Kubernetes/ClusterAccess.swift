import ChatOpsCore
import Foundation
import Yams

/// How to reach a Kubernetes API server and who to be there: from inside a pod (service-account
/// token and CA) or from a kubeconfig file (its current context, or a named one).
public struct ClusterAccess: Sendable, Equatable {
    /// `https://10.0.0.1:443`.
    public var server: String
    public var token: String?
    /// Where the token is kept when it comes from a file: read again for each request, since the
    /// kubelet rotates projected service-account tokens.
    public var tokenFile: String?
    /// PEM bytes of the certificate authority that signed the API server's certificate.
    public var certificateAuthority: [UInt8]?
    /// PEM bytes of a client certificate and its key, for certificate authentication.
    public var clientCertificate: [UInt8]?
    public var clientKey: [UInt8]?
    public var insecureSkipTLSVerify: Bool
    /// The namespace of the context or of the pod, used when a command names none.
    public var namespace: String

    public init(
        server: String, token: String? = nil, tokenFile: String? = nil, certificateAuthority: [UInt8]? = nil, clientCertificate: [UInt8]? = nil,
        clientKey: [UInt8]? = nil, insecureSkipTLSVerify: Bool = false, namespace: String = "default"
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.token = token
        self.tokenFile = tokenFile
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.namespace = namespace
    }

    /// Inside a pod: `KUBERNETES_SERVICE_HOST` and `_PORT`, and the service account's files
    /// (kubernetes.io/docs/tasks/run-application/access-api-from-pod/).
    /// - Parameter directory: where the service account's `token`, `ca.crt` and `namespace` are mounted.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = "/var/run/secrets/kubernetes.io/serviceaccount"
    ) throws(BackendError) -> ClusterAccess {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"] else {
            throw BackendError("not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set")
        }
        let folder = URL(fileURLWithPath: directory)
        guard let token = try? String(contentsOf: folder.appendingPathComponent("token"), encoding: .utf8) else {
            throw BackendError("the service-account token is missing at \(directory)/token")
        }
        let ca = try? Data(contentsOf: folder.appendingPathComponent("ca.crt"))
        let namespace = (try? String(contentsOf: folder.appendingPathComponent("namespace"), encoding: .utf8))?.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return ClusterAccess(
            server: "https://\(hostPart):\(port)", token: token.trimmingCharacters(in: .whitespacesAndNewlines),
            tokenFile: folder.appendingPathComponent("token").path,
            certificateAuthority: ca.map { Array($0) }, namespace: namespace ?? "default")
    }

    /// From a kubeconfig file (kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/):
    /// the named context or `current-context`, its cluster (`server`, `certificate-authority[-data]`,
    /// `insecure-skip-tls-verify`) and user (`token`, `tokenFile`, `client-certificate[-data]`,
    /// `client-key[-data]`). Relative file paths are read from the kubeconfig's folder.
    public static func kubeconfig(path: String, context name: String? = nil) throws(BackendError) -> ClusterAccess {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw BackendError("cannot read the kubeconfig \(path)") }
        let config: KubeConfigFile
        do { config = try YAMLDecoder().decode(KubeConfigFile.self, from: text) } catch {
            throw BackendError("the kubeconfig \(path) is not valid: \(error)")
        }
        guard let contextName = name ?? config.currentContext else { throw BackendError("the kubeconfig \(path) has no current-context; name one") }
        guard let context = config.contexts?.first(where: { $0.name == contextName })?.context else {
            throw BackendError("the kubeconfig \(path) has no context `\(contextName)`")
        }
        guard let cluster = config.clusters?.first(where: { $0.name == context.cluster })?.cluster else {
            throw BackendError("the kubeconfig \(path) has no cluster `\(context.cluster)`")
        }
        let user = config.users?.first { $0.name == context.user }?.user
        if user?.exec != nil || user?.authProvider != nil {
            throw BackendError(
                "the kubeconfig user `\(context.user ?? "")` uses an exec or auth-provider plugin; give the bot a token or a client certificate")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        func material(data: String?, file: String?, _ what: String) throws(BackendError) -> [UInt8]? {
            if let data {
                guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                    throw BackendError("\(what) in \(path) is not base64")
                }
                return Array(decoded)
            }
            guard let file else { return nil }
            let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file)
            guard let bytes = try? Data(contentsOf: url) else { throw BackendError("cannot read \(what) at \(url.path)") }
            return Array(bytes)
        }
        var token = user?.token
        var tokenPath: String?
        if token == nil, let tokenFile = user?.tokenFile {
            token = try material(data: nil, file: tokenFile, "the token file").map {
                String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            tokenPath = tokenFile.hasPrefix("/") ? tokenFile : folder.appendingPathComponent(tokenFile).path
        }
        return ClusterAccess(
            server: cluster.server, token: token, tokenFile: tokenPath,
            certificateAuthority: try material(
                data: cluster.certificateAuthorityData, file: cluster.certificateAuthority, "the certificate authority"),
            clientCertificate: try material(data: user?.clientCertificateData, file: user?.clientCertificate, "the client certificate"),
            clientKey: try material(data: user?.clientKeyData, file: user?.clientKey, "the client key"),
            insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false, namespace: context.namespace ?? "default")
    }
}

/// The parts of a kubeconfig the bot reads.
struct KubeConfigFile: Decodable {
    struct Cluster: Decodable {
        var server: String
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority", certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        }
    }
    struct User: Decodable {
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var exec: JSONValue?
        var authProvider: JSONValue?
        enum CodingKeys: String, CodingKey {
            case token, tokenFile, exec
            case clientCertificate = "client-certificate", clientCertificateData = "client-certificate-data"
            case clientKey = "client-key", clientKeyData = "client-key-data", authProvider = "auth-provider"
        }
    }
    struct Context: Decodable {
        var cluster: String
        var user: String?
        var namespace: String?
    }

    var currentContext: String?
    var clusters: [NamedCluster]?
    var users: [NamedUser]?
    var contexts: [NamedContext]?

    struct NamedCluster: Decodable {
        var name: String
        var cluster: Cluster
    }
    struct NamedUser: Decodable {
        var name: String
        var user: User?
    }
    struct NamedContext: Decodable {
        var name: String
        var context: Context
    }

    enum CodingKeys: String, CodingKey { case clusters, users, contexts, currentContext = "current-context" }
}
