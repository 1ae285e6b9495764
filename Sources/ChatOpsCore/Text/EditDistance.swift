import Foundation

/// Levenshtein distance, used to suggest the closest valid command or value.
public enum EditDistance {
    /// - Returns: the number of single-character edits that turn `a` into `b`.
    public static func between(_ a: String, _ b: String) -> Int {
        let left = Array(a.lowercased())
        let right = Array(b.lowercased())
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var previous = Array(0...right.count)
        for (i, leftChar) in left.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: right.count)
            for (j, rightChar) in right.enumerated() {
                let cost = leftChar == rightChar ? 0 : 1
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + cost)
            }
            previous = current
        }
        return previous[right.count]
    }

    /// The candidates closest to `word`, best first, within a distance that still looks like a typo
    /// (or that start with what was typed).
    /// - Parameters:
    ///   - word: what the user typed.
    ///   - candidates: the valid choices.
    ///   - limit: the most suggestions to return.
    public static func closest(to word: String, among candidates: [String], limit: Int = 3) -> [String] {
        let threshold = Swift.max(2, word.count / 3)
        let typed = word.lowercased()
        var scored: [(candidate: String, distance: Int)] = []
        for candidate in candidates {
            let distance = between(word, candidate)
            let isPrefix = !typed.isEmpty && candidate.lowercased().hasPrefix(typed)
            if distance <= threshold || isPrefix { scored.append((candidate, distance)) }
        }
        scored.sort { $0.distance == $1.distance ? $0.candidate < $1.candidate : $0.distance < $1.distance }
        return scored.prefix(limit).map(\.candidate)
    }
}
