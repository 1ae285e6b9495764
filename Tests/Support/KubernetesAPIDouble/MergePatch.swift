import ChatOpsCore

/// JSON merge patch (RFC 7386), as the API server applies `application/merge-patch+json`:
/// objects merge key by key, `null` removes a key, anything else (arrays included) replaces.
enum MergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result = target.object ?? [:]
        for (key, value) in changes {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
