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
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000)) & 0xffff_ffff_ffff
        let (first, second) = (random.next() as UInt64, random.next() as UInt64)
        let high = milliseconds << 16 | 0x7000 | first >> 52  // 48 bits of time, version 7, 12 random bits
        let low = 0x8000_0000_0000_0000 | second >> 2  // the RFC 9562 variant, 62 random bits
        return String(unsafeUninitializedCapacity: 36) { text in
            var at = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    text[at] = UInt8(ascii: "-")
                    at += 1
                }
                let word = nibble < 16 ? high : low
                text[at] = digits[Int(word >> UInt64(60 - 4 * (nibble % 16)) & 0xf)]
                at += 1
            }
            return at
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
