import ChatOpsCore

/// The JSON merge patch (RFC 7386) that turns one document into another: changed values are
/// given, keys the target lacks are set to null, objects are compared key by key and anything else
/// (arrays included) is replaced whole.
enum MergePatchDiff {
    static func between(_ current: JSONValue, _ target: JSONValue) -> JSONValue {
        guard case .object(let from) = current, case .object(let to) = target else { return target }
        var patch: [String: JSONValue] = [:]
        for (key, value) in to where from[key] != value {
            patch[key] = from[key].map { between($0, value) } ?? value
        }
        for key in from.keys where to[key] == nil {
            patch[key] = .null
        }
        return .object(patch)
    }
}
