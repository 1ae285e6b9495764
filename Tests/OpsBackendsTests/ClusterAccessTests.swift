import ChatOpsCore
import Foundation
import Testing

@testable import OpsBackends

/// The kubeconfig and in-cluster loaders, against real files (a CA and client certificate made
/// with openssl), and the TLS set-up they feed.
@Suite("Cluster access from kubeconfig files and service accounts")
struct ClusterAccessTests {
    final class Folder: Sendable {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-kube-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        func write(_ name: String, _ text: String) throws { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        func read(_ name: String) throws -> Data { try Data(contentsOf: url.appendingPathComponent(name)) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }

        /// A self-signed CA and a client certificate with its key, as PEM files.
        func makeCertificates() throws {
            for arguments in [
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("ca.key"), "-out",
                    path("ca.crt"), "-days", "1", "-subj", "/CN=test-ca",
                ],
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("client.key"), "-out",
                    path("client.crt"), "-days", "1", "-subj", "/CN=chatops",
                ],
            ] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
                process.arguments = arguments
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else { throw BackendError("openssl failed: \(arguments)") }
            }
        }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    @Test func theCurrentContextWithEmbeddedDataAndTheNamedContextWithFiles() throws {
        let folder = try Folder()
        try folder.makeCertificates()
        try folder.write("token", "file-token-123\n")
        let caData = try folder.read("ca.crt").base64EncodedString()
        try folder.write(
            "config",
            """
            apiVersion: v1
            kind: Config
            current-context: prod
            clusters:
            - name: prod-cluster
              cluster:
                server: https://prod.example:6443
                certificate-authority-data: \(caData)
            - name: dev-cluster
              cluster:
                server: https://dev.example:6443/
                certificate-authority: ca.crt
                insecure-skip-tls-verify: true
            users:
            - name: bot
              user:
                token: inline-token-456
            - name: cert-user
              user:
                client-certificate: client.crt
                client-key: client.key
                tokenFile: token
            - name: sso
              user:
                exec: {command: aws, args: [eks, get-token]}
            contexts:
            - name: prod
              context: {cluster: prod-cluster, user: bot, namespace: models-prod}
            - name: dev
              context: {cluster: dev-cluster, user: cert-user}
            - name: sso
              context: {cluster: prod-cluster, user: sso}
            """)
        let prod = try ClusterAccess.kubeconfig(path: folder.path("config"))
        #expect(prod.server == "https://prod.example:6443")
        #expect(prod.token == "inline-token-456")
        #expect(prod.namespace == "models-prod")
        #expect(prod.certificateAuthority == Array(try folder.read("ca.crt")))
        #expect(!prod.insecureSkipTLSVerify)
        _ = try KubernetesClient(access: prod)

        let dev = try ClusterAccess.kubeconfig(path: folder.path("config"), context: "dev")
        #expect(dev.server == "https://dev.example:6443")
        #expect(dev.token == "file-token-123")
        #expect(dev.clientCertificate == Array(try folder.read("client.crt")))
        #expect(dev.clientKey == Array(try folder.read("client.key")))
        #expect(dev.insecureSkipTLSVerify)
        #expect(dev.namespace == "default")
        _ = try KubernetesClient(access: dev)

        #expect(throws: BackendError.self) { try ClusterAccess.kubeconfig(path: folder.path("config"), context: "sso") }
        #expect(throws: BackendError.self) { try ClusterAccess.kubeconfig(path: folder.path("config"), context: "missing") }
        #expect(throws: BackendError.self) { try ClusterAccess.kubeconfig(path: folder.path("nope")) }
    }

    @Test func inClusterUsesTheServiceAccountFiles() throws {
        let folder = try Folder()
        try folder.makeCertificates()
        try folder.write("token", "sa-token-789\n")
        try folder.write("namespace", "ml-platform\n")
        let access = try ClusterAccess.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"], directory: folder.url.path)
        #expect(access.server == "https://10.96.0.1:443")
        #expect(access.token == "sa-token-789")
        #expect(access.namespace == "ml-platform")
        #expect(access.certificateAuthority == Array(try folder.read("ca.crt")))
        let client = try KubernetesClient(access: access)
        try folder.write("token", "rotated-token\n")
        #expect(client.currentToken == "rotated-token", "a rotated token is picked up")
        #expect(throws: BackendError.self) { try ClusterAccess.inCluster(environment: [:], directory: folder.url.path) }
        let ipv6 = try ClusterAccess.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"], directory: folder.url.path)
        #expect(ipv6.server == "https://[fd00::1]:443")
    }

    @Test func unreadableCertificatesAreAClearError() throws {
        let broken = ClusterAccess(server: "https://cluster.example", token: "t", certificateAuthority: Array("not a certificate".utf8))
        #expect(throws: BackendError.self) { try KubernetesClient(access: broken) }
    }
}
