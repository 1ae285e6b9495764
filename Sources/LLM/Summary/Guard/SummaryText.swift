import ChatOpsCore
import Foundation

/// How the guard reads text: lowercase words, sentences, and crude stems.
enum SummaryText {
    /// Lowercase words: letters, digits and inner apostrophes (`didn't`); typographic apostrophes are
    /// read as `'`.
    static func words(in text: String) -> [String] {
        let normalized = text.replacingOccurrences(of: "\u{2019}", with: "'").lowercased()
        var words: [String] = []
        var current = ""
        for character in normalized {
            if character.isLetter || character.isNumber || (character == "'" && !current.isEmpty) {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current.trimmingCharacters(in: CharacterSet(charactersIn: "'")))
                current = ""
            }
        }
        if !current.isEmpty { words.append(current.trimmingCharacters(in: CharacterSet(charactersIn: "'"))) }
        return words.map { $0.hasSuffix("'s") ? String($0.dropLast(2)) : $0 }.filter { !$0.isEmpty }
    }

    /// Words that join two clauses: a negation or a claim before one does not reach past it.
    static let conjunctions: Set<String> = ["and", "but", "while", "although", "though", "whereas", "yet"]

    /// The words of each clause: sentences split again at `,` `:` `;` `—` `(` `)` and at conjunctions.
    static func clauses(in text: String) -> [[String]] {
        var clauses: [[String]] = []
        for sentence in sentences(in: text) {
            for part in sentence.split(whereSeparator: { ",:;()—–".contains($0) }) {
                var clause: [String] = []
                for word in words(in: String(part)) {
                    if conjunctions.contains(word) {
                        if !clause.isEmpty { clauses.append(clause) }
                        clause = []
                    } else {
                        clause.append(word)
                    }
                }
                if !clause.isEmpty { clauses.append(clause) }
            }
        }
        return clauses
    }

    /// Sentences, split after `.`, `!`, `?`, `;` or a line break that is followed by whitespace or the end
    /// (so `0.912` and `v1.2` stay whole).
    static func sentences(in text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            current.append(character)
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            if character.isNewline || (".!?;".contains(character) && next.isWhitespace) {
                let sentence = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !sentence.isEmpty { sentences.append(sentence) }
                current = ""
            }
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { sentences.append(last) }
        return sentences
    }

    private static let suffixes = ["ations", "ation", "ments", "ment", "ings", "ing", "ied", "ies", "ed", "es", "s", "ly", "e"]

    /// A crude stem: one common English suffix removed while four letters remain, then at most six
    /// letters (`deployment`, `deployed`, `deploys` → `deploy`; `rolled` → `roll`).
    static func stem(_ word: String) -> String {
        var stem = word.lowercased()
        for suffix in suffixes where stem.hasSuffix(suffix) && stem.count - suffix.count >= 4 {
            stem.removeLast(suffix.count)
            break
        }
        return String(stem.prefix(6))
    }
}
