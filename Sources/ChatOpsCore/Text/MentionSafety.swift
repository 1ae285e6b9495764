import Foundation

/// Neutralises broadcast mentions in text from users, backends or a model, so that nothing the
/// bot posts can ping a whole channel. A zero-width joiner is placed after the `@` or `!`, which
/// keeps the text readable but stops every platform from treating it as a mention.
public enum MentionSafety {
    private static let joiner = "\u{2060}"
    private static let broadcastWords = ["channel", "here", "everyone", "all", "room"]

    /// - Parameter text: any text that will be posted.
    /// - Returns: the text with `@channel`, `@here`, `@everyone`, `@all`, `@room`, `<!channel>`-style and
    ///   `<!subteam^…>` group mentions defused.
    public static func neutralize(_ text: String) -> String {
        let defused = broadcastPattern.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "@\(joiner)$1")
        return defused.replacingOccurrences(of: "<!", with: "<\(joiner)!")
    }

    /// `@channel`, `@here` … as whole words, any case; `$1` keeps the word as written.
    private static let broadcastPattern = try! NSRegularExpression(
        pattern: "@(" + broadcastWords.joined(separator: "|") + ")\\b", options: [.caseInsensitive])

    /// - Returns: whether the text still contains anything that would ping a group.
    public static func containsBroadcast(_ text: String) -> Bool {
        if text.contains("<!") { return true }
        return broadcastPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

extension Reply {
    /// The reply with every piece of text passed through `MentionSafety.neutralize`.
    public var mentionSafe: Reply {
        var copy = self
        let clean = MentionSafety.neutralize
        copy.title = title.map(clean)
        copy.text = clean(text)
        copy.fields = fields.map { Fact(clean($0.name), clean($0.value)) }
        copy.table = table.map { $0.map(clean) }
        copy.footer = footer.map(clean)
        copy.modelNote?.text = clean(modelNote?.text ?? "")
        return copy
    }
}
