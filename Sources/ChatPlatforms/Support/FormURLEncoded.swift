import ChatOpsCore

/// Decodes `application/x-www-form-urlencoded` bodies (`a=1&b=two+words`), byte by byte: `+` is a
/// space, `%XX` a byte; a field whose escapes are malformed or whose bytes are not UTF-8 is dropped
/// (a name) or empty (a value), as Foundation's `removingPercentEncoding` would have it.
public enum FormURLEncoded {
    /// - Returns: the fields; a repeated name keeps its last value.
    public static func decode(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = unescape(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? unescape(parts[1]) ?? "" : ""
        }
        return fields
    }

    private static func unescape(_ field: Substring.UTF8View.SubSequence) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(field.count)
        var index = field.startIndex
        while index < field.endIndex {
            let byte = field[index]
            if byte == UInt8(ascii: "%") {
                let first = field.index(after: index)
                guard first < field.endIndex, field.index(after: first) < field.endIndex,
                    let high = Hex.value(of: field[first]), let low = Hex.value(of: field[field.index(after: first)])
                else { return nil }
                bytes.append(high << 4 | low)
                index = field.index(first, offsetBy: 2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = field.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
