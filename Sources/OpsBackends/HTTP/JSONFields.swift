import ChatOpsCore
import Foundation

/// Picks values out of a JSON document by dotted paths (`status.sync.status`, `items.0.name`), for
/// putting selected response fields into an outcome.
enum JSONFields {
    /// - Returns: the value at the path as text (objects and arrays as compact JSON), or nil.
    static func value(at path: String, in document: JSONValue) -> String? {
        var current = document
        for key in path.split(separator: ".").map(String.init) {
            if let next = current[key] {
                current = next
            } else if let array = current.array, let index = Int(key), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        switch current {
        case .string(let text): return text
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array, .object: return (try? current.data()).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
