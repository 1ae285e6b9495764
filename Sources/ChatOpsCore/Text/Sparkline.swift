import Foundation

/// Renders a series of numbers as a line of block characters: `▁▂▄▇█`.
public enum Sparkline {
    private static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// - Parameter values: the series; non-finite values are drawn as a space.
    public static func render(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return "" }
        let span = high - low
        return String(
            values.map { value -> Character in
                guard value.isFinite else { return " " }
                if span == 0 { return bars[bars.count / 2] }
                return bars[Int(((value - low) / span * Double(bars.count - 1)).rounded())]
            })
    }
}
