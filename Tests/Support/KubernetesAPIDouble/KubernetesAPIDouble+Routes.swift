import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension KubernetesAPIDouble {
    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.on("**", method: .get) { request, _ in try await self.handle(request) }
        router.on("**", method: .patch) { request, _ in try await self.handle(request) }
        router.on("**", method: .post) { request, _ in try await self.handle(request) }
        return router
    }

    private func handle(_ request: Request) async throws -> Response {
        var request = request
        let path = request.uri.path
        let presented = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : "" }
        guard presented == token || presented == readOnlyToken else {
            return Self.status(401, "Unauthorized", "Unauthorized")
        }
        let parts = path.split(separator: "/").map(String.init)
        let body = try await request.collectBody(upTo: 4 << 20)
        switch request.method {
        case .get:
            if path.hasSuffix("/log") { return log(parts) }
            if path.hasSuffix("/replicasets") || path.hasSuffix("/pods") {
                return list(path, selector: request.uri.queryParameters.get("labelSelector") ?? "")
            }
            return read(path, parts)
        case .patch:
            guard presented == token else { return forbidden("patch", parts) }
            let contentType = request.headers[.contentType] ?? ""
            guard contentType.hasPrefix("application/merge-patch+json") else {
                return Self.status(
                    415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                )
            }
            guard let patch = try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView)) else {
                return Self.status(400, "BadRequest", "error decoding patch: invalid JSON")
            }
            return self.patch(path, parts, patch, contentType: contentType)
        case .post:
            guard presented == token else { return forbidden("create", parts) }
            guard let object = try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView)) else {
                return Self.status(400, "BadRequest", "invalid JSON")
            }
            return create(path, parts, object)
        default:
            return Self.status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
        }
    }

    // MARK: Reads, with the simulated controllers

    private func read(_ path: String, _ parts: [String]) -> Response {
        let isScale = path.hasSuffix("/scale")
        let objectPath = isScale ? String(path.dropLast(6)) : path
        let answer: JSONValue? = withStore { store in
            guard var object = store.objects[objectPath] else { return nil }
            Self.reconcile(&object, path: objectPath, store: &store)
            store.objects[objectPath] = object
            if isScale {
                return [
                    "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": object["metadata"] ?? [:],
                    "spec": ["replicas": object[path: ["spec", "replicas"]] ?? 0], "status": ["replicas": object[path: ["status", "replicas"]] ?? 0],
                ]
            }
            return object
        }
        guard let answer else { return notFound(parts) }
        return Self.json(answer)
    }

    /// One step of the controllers.
    static func reconcile(_ object: inout JSONValue, path: String, store: inout Store) {
        let generation = object[path: ["metadata", "generation"]]?.int ?? 1
        switch object["kind"]?.string {
        case "Deployment":
            let wanted = object[path: ["spec", "replicas"]]?.int ?? 1
            let image = object[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]?.string ?? ""
            var status = object["status"] ?? [:]
            let updated = min(wanted, (status["observedGeneration"]?.int ?? 0) < generation ? 0 : (status["updatedReplicas"]?.int ?? 0) + 1)
            status["observedGeneration"] = .number(Double(generation))
            if image.contains("broken") {
                status["updatedReplicas"] = 0
                status["conditions"] = [
                    [
                        "type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                        "message": .string("ReplicaSet has timed out progressing: ImagePullBackOff for \(image)"),
                    ]
                ]
            } else {
                status["updatedReplicas"] = .number(Double(updated))
                status["availableReplicas"] = .number(Double(updated))
                status["readyReplicas"] = .number(Double(updated))
                status["replicas"] = .number(Double(updated == wanted ? wanted : wanted + 1))
                status["conditions"] = nil
            }
            object["status"] = status
        case "Job":
            let reads = (object[path: ["status", "reads"]]?.int ?? 0) + 1
            object[path: ["status", "reads"]] = .number(Double(reads))
            let failing = object[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]?.string?.contains("failing") == true
            if reads >= 2 {
                object[path: ["status", "active"]] = 0
                object[path: ["status", "conditions"]] =
                    failing
                    ? [
                        [
                            "type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                            "message": "Job has reached the specified backoff limit",
                        ]
                    ]
                    : [["type": "Complete", "status": "True"]]
            } else {
                object[path: ["status", "active"]] = 1
            }
        case "InferenceService":
            let observed = object[path: ["status", "observedGeneration"]]?.int ?? 0
            if observed < generation {
                // The read after a change sees the new revision coming up; the one after sees it Ready.
                if object[path: ["status", "pending"]] == .bool(true) {
                    object[path: ["status", "pending"]] = nil
                    object[path: ["status", "observedGeneration"]] = .number(Double(generation))
                    object[path: ["status", "conditions"]] = [["type": "Ready", "status": "True"]]
                    let name = object[path: ["metadata", "name"]]?.string ?? ""
                    let latest = "\(name)-predictor-\(String(format: "%05d", generation))"
                    let previous = object[path: ["status", "components", "predictor", "latestReadyRevision"]]?.string ?? latest
                    let canary = object[path: ["spec", "predictor", "canaryTrafficPercent"]]?.int
                    var traffic: [JSONValue] = [["revisionName": .string(latest), "percent": .number(Double(canary ?? 100))]]
                    if let canary, canary < 100, previous != latest {
                        traffic.append(["revisionName": .string(previous), "percent": .number(Double(100 - canary))])
                    }
                    if object[path: ["spec", "predictor", "model", "storageUri"]] != object[path: ["status", "storageUri"]] {
                        object[path: ["status", "components", "predictor", "previousRolledoutRevision"]] = .string(previous)
                        object[path: ["status", "components", "predictor", "latestReadyRevision"]] = .string(latest)
                    }
                    object[path: ["status", "storageUri"]] = object[path: ["spec", "predictor", "model", "storageUri"]]
                    object[path: ["status", "components", "predictor", "traffic"]] = .array(traffic)
                } else {
                    object[path: ["status", "pending"]] = true
                    object[path: ["status", "conditions"]] = [
                        ["type": "Ready", "status": "False", "reason": "RevisionMissing", "message": "Revision is not ready yet"]
                    ]
                }
            }
        default:
            break
        }
    }

    private func list(_ path: String, selector: String) -> Response {
        let wanted = selector.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        let items: [JSONValue] = withStore { store in
            store.objects.filter { key, object in
                key.hasPrefix(path + "/")
                    && wanted.allSatisfy { pair in pair.count == 2 && object[path: ["metadata", "labels", pair[0]]]?.string == pair[1] }
            }.sorted { $0.key < $1.key }.map(\.value)
        }
        return Self.json(["kind": "List", "apiVersion": "v1", "metadata": ["resourceVersion": "1"], "items": .array(items)])
    }

    private func log(_ parts: [String]) -> Response {
        let found = withStore { store in store.objects["/" + parts.dropLast().joined(separator: "/")] }
        guard let pod = found else { return notFound(parts.dropLast().map { $0 }) }
        let text = pod[path: ["status", "log"]]?.string ?? ""
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: Writes

    private func patch(_ path: String, _ parts: [String], _ patch: JSONValue, contentType: String) -> Response {
        let isScale = path.hasSuffix("/scale")
        let objectPath = isScale ? String(path.dropLast(6)) : path
        enum Result { case ok(JSONValue), missing, conflict(String), invalid(String) }
        let result: Result = withStore { store in
            store.patches.append((path, contentType, patch))
            guard var object = store.objects[objectPath] else { return .missing }
            if store.conflicts.remove(objectPath) != nil {
                store.version += 1
                object[path: ["metadata", "resourceVersion"]] = .string("\(store.version)")
                store.objects[objectPath] = object
            }
            if let expected = patch[path: ["metadata", "resourceVersion"]]?.string, expected != object[path: ["metadata", "resourceVersion"]]?.string
            {
                return .conflict(object[path: ["metadata", "name"]]?.string ?? "")
            }
            let change = isScale ? ["spec": ["replicas": patch[path: ["spec", "replicas"]] ?? .null]] : patch
            for field in [["spec", "replicas"], ["spec", "predictor", "minReplicas"], ["spec", "predictor", "maxReplicas"]] {
                if let value = change[path: field], value != .null, value.int.map({ $0 < 0 }) ?? true {
                    return .invalid(
                        "\(field.joined(separator: ".")): Invalid value: \(value.int.map(String.init) ?? "?"): must be greater than or equal to 0")
                }
            }
            var updated = MergePatch.apply(change, to: object)
            updated[path: ["metadata", "resourceVersion"]] = object[path: ["metadata", "resourceVersion"]]
            if updated["spec"] != object["spec"] {
                let generation = (object[path: ["metadata", "generation"]]?.int ?? 1) + 1
                updated[path: ["metadata", "generation"]] = .number(Double(generation))
                if object["kind"] == "Deployment", updated[path: ["spec", "template"]] != object[path: ["spec", "template"]] {
                    let revision = (Int(object[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.string ?? "") ?? 1) + 1
                    updated[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] = .string("\(revision)")
                    Self.addReplicaSet(
                        &store, namespace: parts[4], deployment: parts[6], uid: object[path: ["metadata", "uid"]]?.string ?? "", revision: revision,
                        template: updated[path: ["spec", "template"]] ?? [:])
                }
            }
            store.version += 1
            updated[path: ["metadata", "resourceVersion"]] = .string("\(store.version)")
            store.objects[objectPath] = updated
            return .ok(updated)
        }
        switch result {
        case .ok(let object): return Self.json(object)
        case .missing: return notFound(parts)
        case .conflict(let name):
            return Self.status(
                409, "Conflict",
                "Operation cannot be fulfilled on \(Self.resource(parts)) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again"
            )
        case .invalid(let message):
            return Self.status(422, "Invalid", "\(Self.resource(parts)) \"\(parts.count > 6 ? parts[6] : "")\" is invalid: \(message)")
        }
    }

    private func create(_ path: String, _ parts: [String], _ object: JSONValue) -> Response {
        guard let name = object[path: ["metadata", "name"]]?.string, parts.last == "jobs" else {
            return Self.status(422, "Invalid", "metadata.name: Required value")
        }
        let namespace = parts[4]
        let created: JSONValue? = withStore { store in
            let objectPath = "\(path)/\(name)"
            guard store.objects[objectPath] == nil else { return nil }
            store.version += 1
            var job = object
            job[path: ["metadata", "namespace"]] = .string(namespace)
            job[path: ["metadata", "resourceVersion"]] = .string("\(store.version)")
            job[path: ["metadata", "generation"]] = 1
            store.objects[objectPath] = job
            let image = object[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]?.string ?? ""
            let args = object[path: ["spec", "template", "spec", "containers"]]?.array?.first?["args"]?.array?.compactMap(\.string) ?? []
            let log =
                image.contains("failing")
                ? "loading \(args.joined(separator: " "))\nerror: dataset not found\n"
                : "evaluating \(args.joined(separator: " "))\naccuracy=0.931\nf1: 0.88\ndone\n"
            store.objects["/api/v1/namespaces/\(namespace)/pods/\(name)-x7k2p"] = [
                "kind": "Pod",
                "metadata": ["name": .string("\(name)-x7k2p"), "namespace": .string(namespace), "labels": ["job-name": .string(name)]],
                "status": ["log": .string(log)],
            ]
            return job
        }
        guard let created else { return Self.status(409, "AlreadyExists", "jobs.batch \"\(name)\" already exists") }
        return Self.json(created, status: .created)
    }

    // MARK: Answers

    private func withStore<T>(_ body: (inout Store) -> T) -> T {
        stateLock { body(&$0) }
    }

    private func notFound(_ parts: [String]) -> Response {
        Self.status(404, "NotFound", "\(Self.resource(parts)) \"\(parts.last ?? "")\" not found")
    }

    private func forbidden(_ verb: String, _ parts: [String]) -> Response {
        let namespace = parts.count > 4 ? parts[4] : "default"
        let resource = parts.count > 5 ? parts[5] + (parts.last == "scale" ? "/scale" : "") : "unknown"
        let group = parts.first == "apis" && parts.count > 1 ? parts[1] : ""
        return Self.status(
            403, "Forbidden",
            "\(Self.resource(parts)) \"\(parts.count > 6 ? parts[6] : "")\" is forbidden: User \"system:serviceaccount:ml:chatops-readonly\" cannot \(verb) resource \"\(resource)\" in API group \"\(group)\" in the namespace \"\(namespace)\""
        )
    }

    /// `deployments.apps`, `jobs.batch`, `inferenceservices.serving.kserve.io`, `pods`.
    static func resource(_ parts: [String]) -> String {
        guard parts.count > 5 else { return "resource" }
        return parts.first == "apis" ? "\(parts[5]).\(parts[1])" : parts[5]
    }

    static func status(_ code: Int, _ reason: String, _ message: String) -> Response {
        let body: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": .string(message), "reason": .string(reason),
            "code": .number(Double(code)),
        ]
        return json(body, status: HTTPResponse.Status(code: code))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: (try? value.data()) ?? Data())))
    }
}
