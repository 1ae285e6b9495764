import Foundation

/// A `multipart/form-data` body (RFC 7578, RFC 2046 §5.1) split at its boundary into named parts.
struct MultipartForm {
    struct Part {
        /// The `name` of the part's `Content-Disposition`, such as `payload_json` or `files[0]`.
        var name: String
        var filename: String?
        var contentType: String?
        var bytes: [UInt8]
    }

    var parts: [Part]

    /// Nil when the content type names no boundary, or the body is not framed by it.
    init?(body: [UInt8], contentType: String) {
        guard let boundary = Self.parameter("boundary", in: contentType) else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        let lineBreak: [UInt8] = [13, 10]
        guard var cursor = Self.find(delimiter, in: body, from: 0) else { return nil }
        var parts: [Part] = []
        while true {
            cursor += delimiter.count
            if body[cursor...].starts(with: [45, 45]) { break }  // "--" closes the body
            guard body[cursor...].starts(with: lineBreak) else { return nil }
            guard let headerEnd = Self.find(lineBreak + lineBreak, in: body, from: cursor) else { return nil }
            let headers = String(decoding: body[min(cursor + 2, headerEnd)..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let contentEnd = Self.find(lineBreak + delimiter, in: body, from: contentStart) else { return nil }
            guard let part = Self.part(headers: headers, bytes: Array(body[contentStart..<contentEnd])) else { return nil }
            parts.append(part)
            cursor = contentEnd + lineBreak.count
        }
        self.parts = parts
    }

    private static func part(headers: String, bytes: [UInt8]) -> Part? {
        var disposition: String?
        var contentType: String?
        for line in headers.components(separatedBy: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            switch pair[0].lowercased() {
            case "content-disposition": disposition = pair[1]
            case "content-type": contentType = pair[1]
            default: break
            }
        }
        guard let disposition, let name = parameter("name", in: disposition) else { return nil }
        return Part(name: name, filename: parameter("filename", in: disposition), contentType: contentType, bytes: bytes)
    }

    /// A header parameter's value (`boundary=x`, `name="files[0]"`), unquoted.
    private static func parameter(_ key: String, in header: String) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            let value = pair[1]
            return value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }
}
