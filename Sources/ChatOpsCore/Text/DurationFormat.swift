import Foundation

/// Parses and prints durations such as `30s`, `15m`, `2h`, `1d` and `1h30m`.
public enum DurationFormat {
    private static let units: [(Character, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// - Parameter text: a duration such as `1h30m`; a bare number means seconds.
    /// - Returns: the number of seconds, or nil when the text is not a duration.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { return nil }
        if let seconds = Int(trimmed) { return seconds >= 0 ? seconds : nil }
        var total = 0
        var digits = ""
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units.first(where: { $0.0 == character }), let value = Int(digits) {
                let (product, overflowed) = value.multipliedReportingOverflow(by: unit.1)
                let (sum, overflowedSum) = total.addingReportingOverflow(product)
                guard !overflowed, !overflowedSum else { return nil }
                total = sum
                digits = ""
            } else {
                return nil
            }
        }
        return digits.isEmpty ? total : nil
    }

    /// - Parameter seconds: a non-negative number of seconds.
    /// - Returns: the shortest exact form, such as `1h30m` or `45s`.
    public static func format(seconds: Int) -> String {
        if seconds == 0 { return "0s" }
        var remaining = seconds
        var text = ""
        for (symbol, size) in units where remaining >= size {
            text += "\(remaining / size)\(symbol)"
            remaining %= size
        }
        return text
    }
}
