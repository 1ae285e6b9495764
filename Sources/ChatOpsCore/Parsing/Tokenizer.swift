import Foundation

/// Splits typed text into words, honouring "double" and 'single' quotes (including the curly
/// quotes chat clients substitute) and backslash escapes.
public enum Tokenizer {
    /// A quote was opened and never closed.
    public struct UnterminatedQuote: Error, Sendable, Equatable {}

    /// - Parameter text: the message text.
    /// - Returns: the words, with quotes removed.
    public static func split(_ text: String) throws(UnterminatedQuote) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaping = false
        for raw in text {
            let character = normalizedQuote(raw)
            if escaping {
                current.append(character)
                escaping = false
                inWord = true
                continue
            }
            if character == "\\" {
                escaping = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            // A single quote opens only at the start of a word or after `=`, so apostrophes
            // (`don't`) stay text; double quotes open anywhere (`--reason="two words"`).
            if character == "\"" || (character == "'" && (!inWord || current.hasSuffix("="))) {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { throw UnterminatedQuote() }
        if inWord { words.append(current) }
        return words
    }

    private static func normalizedQuote(_ character: Character) -> Character {
        switch character {
        case "\u{201C}", "\u{201D}": return "\""
        case "\u{2018}", "\u{2019}": return "'"
        default: return character
        }
    }
}
