import ChatOpsCore
import Foundation

/// Tells which language a text is in, from its script and its most common function words; enough to
/// notice a summary in another language than its prompt. Knows English, German, French, Spanish,
/// Italian, Portuguese and Dutch; text in another script reads as `other`.
public enum LanguageGuess {
    static let functionWords: [String: Set<String>] = [
        "en": ["the", "and", "is", "was", "were", "to", "of", "in", "with", "it", "for", "has", "have", "been", "on", "at", "this", "that"],
        "de": ["der", "die", "das", "und", "ist", "wurde", "nicht", "mit", "auf", "für", "ein", "eine", "von", "zu", "den", "dem", "hat"],
        "fr": ["le", "la", "les", "et", "est", "une", "des", "du", "pour", "avec", "été", "pas", "sur", "dans", "qui", "au"],
        "es": ["el", "la", "los", "las", "y", "es", "fue", "una", "con", "para", "por", "del", "se", "ha", "sido", "en"],
        "it": ["il", "lo", "gli", "e", "è", "stato", "una", "con", "per", "del", "della", "non", "che", "sono"],
        "pt": ["o", "os", "as", "e", "é", "foi", "uma", "com", "para", "não", "do", "da", "em", "que"],
        "nl": ["de", "het", "een", "en", "is", "werd", "niet", "met", "voor", "van", "op", "zijn", "naar"],
    ]

    /// - Returns: the language code, `other` for a text mostly in a non-Latin script, or nil when the
    ///   text is too short or too mixed to tell.
    public static func language(of text: String) -> String? {
        let letters = text.unicodeScalars.filter(CharacterSet.letters.contains)
        guard letters.count >= 8 else { return nil }
        let latin = letters.filter { $0.value < 0x250 || (0x1E00...0x1EFF).contains($0.value) }
        if Double(latin.count) / Double(letters.count) < 0.7 { return "other" }
        // Names (`fraud-de`, `de-staging`, `v3`) say nothing of the language around them.
        let prose = text.split(whereSeparator: \.isWhitespace).filter { token in
            !token.contains(where: { $0.isNumber || "-_/:.@".contains($0) })
                || token.last == "." && !token.dropLast().contains(where: { $0.isNumber || "-_/:.@".contains($0) })
        }
        let words = SummaryText.words(in: prose.joined(separator: " "))
        let scores = functionWords.mapValues { vocabulary in words.filter(vocabulary.contains).count }
        let ranked = scores.sorted { $0.value > $1.value }
        guard let best = ranked.first, best.value >= 2, best.value > (ranked.dropFirst().first?.value ?? 0) else { return nil }
        return best.key
    }
}
