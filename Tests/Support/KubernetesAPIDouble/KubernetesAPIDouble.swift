import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import LocalServer
import NIOCore
import Synchronization

/// A local stand-in for a Kubernetes API server with the Deployment, ReplicaSet, Job, Pod and KServe
/// InferenceService resources the bot uses, since no API server runs here. It follows the published
/// API (kubernetes.io/docs/reference/using-api/api-concepts/ and the apps/v1, batch/v1, core/v1 and
/// serving.kserve.io/v1beta1 references): resource paths; `metadata.resourceVersion`, and 409
/// `Conflict` when a patch carries a stale one; `metadata.generation` bumped by spec changes and
/// `status.observedGeneration` catching up; the `scale` subresource; PATCH accepted only as
/// `application/merge-patch+json` (RFC 7386; other types get 415); errors as `Status` objects with
/// `reason`, `message` and `code` (401 Unauthorized, 403 Forbidden with the RBAC sentence, 404
/// NotFound, 409 AlreadyExists/Conflict, 422 Invalid). Controllers are simulated: each read of a
/// Deployment moves its rollout one replica on, a Job completes on its second read, and an
/// InferenceService becomes Ready on the read after a change.
public final class KubernetesAPIDouble: @unchecked Sendable {
    public let token: String
    public let readOnlyToken = "read-only-token"
    private let state = Mutex(Store())
    public private(set) var port = 0

    struct Store {
        var objects: [String: JSONValue] = [:]
        var version = 100
        var conflicts: Set<String> = []
        var patches: [(path: String, contentType: String, body: JSONValue)] = []
    }

    public init(token: String = "cluster-token") {
        self.token = token
    }

    public var server: String { "http://127.0.0.1:\(port)" }

    func stateLock<T>(_ body: (inout Store) -> T) -> T { state.withLock { body(&$0) } }

    /// Every PATCH received, in order.
    public var patches: [(path: String, contentType: String, body: JSONValue)] { state.withLock { $0.patches } }

    public func object(_ path: String) -> JSONValue? { state.withLock { $0.objects[path] } }

    /// The next patch of this object finds it changed by someone else (409 Conflict once).
    public func conflictOnNextPatch(_ path: String) { state.withLock { _ = $0.conflicts.insert(path) } }

    public static func run<T: Sendable>(token: String = "cluster-token", _ body: @Sendable (KubernetesAPIDouble) async throws -> T) async throws -> T
    {
        let double = KubernetesAPIDouble(token: token)
        return try await LocalServer.run(double.router()) { port in
            double.port = port
            return try await body(double)
        }
    }

    // MARK: Seeding

    /// A Deployment at revision 1 with its ReplicaSet, fully rolled out.
    public func addDeployment(_ name: String, namespace: String, image: String, replicas: Int, modelURI: String? = nil) {
        state.withLock { store in
            let uid = "uid-\(name)-\(namespace)"
            var container: JSONValue = ["name": "server", "image": .string(image)]
            if let modelURI { container["env"] = [["name": "MODEL_URI", "value": .string(modelURI)]] }
            let template: JSONValue = ["metadata": ["labels": ["app": .string(name)]], "spec": ["containers": [container]]]
            store.version += 1
            store.objects[Self.deploymentPath(namespace, name)] = [
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": [
                    "name": .string(name), "namespace": .string(namespace), "uid": .string(uid), "generation": 1,
                    "resourceVersion": .string("\(store.version)"), "annotations": ["deployment.kubernetes.io/revision": "1"],
                ],
                "spec": ["replicas": .number(Double(replicas)), "selector": ["matchLabels": ["app": .string(name)]], "template": template],
                "status": Self.rolledOut(replicas: replicas, generation: 1),
            ]
            Self.addReplicaSet(&store, namespace: namespace, deployment: name, uid: uid, revision: 1, template: template)
        }
    }

    /// An InferenceService with one Ready revision.
    public func addInferenceService(_ name: String, namespace: String, storageURI: String) {
        state.withLock { store in
            store.version += 1
            store.objects[Self.inferenceServicePath(namespace, name)] = [
                "apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
                "metadata": [
                    "name": .string(name), "namespace": .string(namespace), "generation": 1, "resourceVersion": .string("\(store.version)"),
                ],
                "spec": ["predictor": ["model": ["modelFormat": ["name": "sklearn"], "storageUri": .string(storageURI)]]],
                "status": [
                    "observedGeneration": 1, "url": .string("http://\(name).\(namespace).example.com"),
                    "conditions": [["type": "Ready", "status": "True"]],
                    "components": [
                        "predictor": [
                            "latestReadyRevision": .string("\(name)-predictor-00001"),
                            "traffic": [["revisionName": .string("\(name)-predictor-00001"), "percent": 100]],
                        ]
                    ],
                ],
            ]
        }
    }

    static func deploymentPath(_ namespace: String, _ name: String) -> String { "/apis/apps/v1/namespaces/\(namespace)/deployments/\(name)" }
    static func inferenceServicePath(_ namespace: String, _ name: String) -> String {
        "/apis/serving.kserve.io/v1beta1/namespaces/\(namespace)/inferenceservices/\(name)"
    }

    static func rolledOut(replicas: Int, generation: Int) -> JSONValue {
        let count = JSONValue.number(Double(replicas))
        return [
            "observedGeneration": .number(Double(generation)), "replicas": count, "updatedReplicas": count, "readyReplicas": count,
            "availableReplicas": count,
        ]
    }

    static func addReplicaSet(_ store: inout Store, namespace: String, deployment: String, uid: String, revision: Int, template: JSONValue) {
        var template = template
        template[path: ["metadata", "labels", "pod-template-hash"]] = .string("hash\(revision)")
        store.objects["/apis/apps/v1/namespaces/\(namespace)/replicasets/\(deployment)-\(revision)"] = [
            "metadata": [
                "name": .string("\(deployment)-\(revision)"), "namespace": .string(namespace), "labels": ["app": .string(deployment)],
                "annotations": ["deployment.kubernetes.io/revision": .string("\(revision)")],
                "ownerReferences": [["kind": "Deployment", "name": .string(deployment), "uid": .string(uid)]],
            ],
            "spec": ["template": template],
        ]
    }
}
