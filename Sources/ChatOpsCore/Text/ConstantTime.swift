import Foundation

/// Comparison of secrets whose running time does not depend on where they differ.
public enum ConstantTime {
    /// - Returns: whether the two strings are byte-for-byte equal, in time that depends only on their lengths.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }

    /// - Returns: whether the two byte arrays are equal, in time that depends only on their lengths.
    public static func equals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && left.count == right.count
    }
}
