import Foundation

/// Which HTTP statuses count as success: `2xx` (the default), `200`, `200,202`, `200-299`, `2xx,409`.
public struct SuccessCondition: Sendable, Equatable {
    let ranges: [ClosedRange<Int>]

    /// - Returns: nil when the text is not a list of statuses, `Nxx` classes or ranges.
    public init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            if part.count == 3, part.hasSuffix("xx"), let digit = Int(part.prefix(1)), (1...5).contains(digit) {
                ranges.append(digit * 100...digit * 100 + 99)
            } else if let dash = part.firstIndex(of: "-"), let low = Int(part[..<dash]), let high = Int(part[part.index(after: dash)...]), low <= high
            {
                ranges.append(low...high)
            } else if let code = Int(part), (100...599).contains(code) {
                ranges.append(code...code)
            } else {
                return nil
            }
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    public func accepts(_ status: Int) -> Bool {
        ranges.contains { $0.contains(status) }
    }
}
