import Foundation

/// Lays rows out in fixed-width columns, for terminals and code blocks.
public enum TextTable {
    /// - Parameter rows: the rows, the first usually a header.
    /// - Returns: one line per row, columns separated by two spaces, trailing spaces removed.
    public static func lines(_ rows: [[String]]) -> [String] {
        var widths: [Int] = []
        for row in rows {
            for (index, cell) in row.enumerated() {
                if index < widths.count { widths[index] = max(widths[index], cell.count) } else { widths.append(cell.count) }
            }
        }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
    }
}
