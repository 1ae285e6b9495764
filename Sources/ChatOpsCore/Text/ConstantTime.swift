import Foundation

/// Comparison of secrets whose running time does not depend on where they differ.
public enum ConstantTime {
    /// - Returns: whether the two strings are byte-for-byte equal, in time that depends only on their lengths.
    public static func equals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && left.count == right.count
    }
}
