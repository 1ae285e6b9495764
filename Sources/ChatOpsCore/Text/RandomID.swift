import Foundation

/// Identifiers for jobs, inbounds and deliveries: a version-7 UUID (RFC 9562) as lowercase text
/// (`8-4-4-4-12` hex digits): the time in milliseconds, then 74 random bits from the system's random
/// source (`getrandom`). Ids made one after another sort together, so a store's primary-key index
/// takes new rows at its end instead of touching a random page for each (a group commit of many jobs
/// writes a few index pages, not one a job). Foundation's `UUID()` on Linux also opens and reads
/// `/dev/urandom` for each id: two system calls, and the acknowledgement path makes two ids a request.
public enum RandomID {
    /// A new identifier, such as `019ad5f1-3c2e-7a4b-9d1c-2e3f4a5b6c7d`.
    public static func make(now: Date = Date()) -> String {
        var random = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var bytes = withUnsafeBytes(of: (milliseconds.bigEndian, random.next() as UInt64)) { Array($0) }
        bytes.removeFirst(2)  // 48 bits of time
        bytes.append(contentsOf: withUnsafeBytes(of: random.next() as UInt16) { Array($0) })
        bytes[6] = bytes[6] & 0x0f | 0x70  // version 7
        bytes[8] = bytes[8] & 0x3f | 0x80  // RFC 9562 variant
        let hex = Array(Hex.encode(bytes).utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, digit) in hex.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append(UInt8(ascii: "-")) }
            text.append(digit)
        }
        return String(decoding: text, as: UTF8.self)
    }
}
