/// Lower-case hexadecimal, byte by byte, without Foundation's string formatting (which costs a
/// formatted string per byte on every signed request).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `[0x0f, 0xa0]` → `"0fa0"`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
