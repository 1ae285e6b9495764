import ChatOpsCore
import Foundation

/// A failed call to the Kubernetes API, from its `Status` object
/// (kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/): `reason`
/// (NotFound, Forbidden, Conflict, Invalid, AlreadyExists …), `message` and `code`.
public struct KubernetesError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String
    /// What was being done, such as `patch deployments/scale fraud in models-prod`.
    public var operation: String

    public var description: String { explanation }

    /// The message people read: which object, and what permission is missing when one is.
    public var explanation: String {
        switch code {
        case 401:
            return "The cluster did not accept the bot's credentials for \(operation) (401 Unauthorized): check its token or client certificate."
        case 403:
            return
                "The bot may not \(operation) (403 Forbidden). Grant its service account that verb on that resource in that namespace. Kubernetes said: \(message)"
        case 404: return "Not found: \(operation) (404). Kubernetes said: \(message)"
        case 409: return "\(operation) conflicted with another change (409 \(reason)): \(message)"
        case 422: return "Kubernetes refused \(operation) as invalid (422): \(message)"
        default: return "\(operation) failed (\(code) \(reason)): \(message)"
        }
    }

    init(code: Int, body: Data, operation: String) {
        let status = try? JSONDecoder().decode(JSONValue.self, from: body)
        self.code = status?["code"]?.int ?? code
        self.reason = status?["reason"]?.string ?? "HTTP \(code)"
        self.message = status?["message"]?.string ?? String(decoding: body.prefix(300), as: UTF8.self)
        self.operation = operation
    }
}
