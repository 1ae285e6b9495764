import Foundation

/// Keeps the last `limit` bytes of a program's output, however much it writes, and counts the rest.
struct OutputTail {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var dropped = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    mutating func append(_ data: Data) {
        bytes.append(contentsOf: data)
        if bytes.count > limit {
            dropped += bytes.count - limit
            bytes.removeFirst(bytes.count - limit)
        }
    }

    /// The kept output as text, saying how much came before it.
    var text: String {
        let kept = String(decoding: bytes, as: UTF8.self)
        return dropped == 0 ? kept : "[… \(dropped) earlier bytes not kept]\n" + kept
    }
}
