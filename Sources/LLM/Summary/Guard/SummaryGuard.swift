import ChatOpsCore
import Foundation

/// Decides whether a model's summary may be posted beside the facts. Each check refuses for its own
/// reason, counted in `llm_guard_rejections_total{reason}`, in the order they run:
/// - `empty`: nothing but whitespace.
/// - `mention`: mention syntax of any platform (`@name`, `<@U…>`, `<!here>`, `<#C…>`).
/// - `markup`: code, Markdown, HTML or JSON (`MarkupCheck`).
/// - `length`: more than `maxCharacters` or more than `maxSentences` sentences.
/// - `language`: another language than the prompt's (`LanguageGuess`).
/// - `polarity`: a success called a failure or a failure called a success (`PolarityCheck`).
/// - `number`: a number the data does not hold (`NumberGrounding`).
/// - `name`: a version, environment, identifier, abbreviation or quoted phrase the data does not hold
///   (`NameGrounding`).
/// - `cause`: a cause the data does not state (`CauseCheck`).
/// - `unstated`: a success told with more than two content words the data does not hold (`CauseCheck`).
/// A partial summary, shown while it streams, passes the same checks except the minimum.
public struct SummaryGuard: Sendable {
    /// Why a summary was refused.
    public enum Reason: String, Sendable, CaseIterable, Codable {
        case empty, mention, markup, length, language, polarity, number, name, cause, unstated
    }

    /// The guard's decision.
    public enum Verdict: Sendable, Equatable, CustomStringConvertible {
        case accepted
        case refused(Reason, String)

        public var reason: Reason? {
            if case .refused(let reason, _) = self { return reason }
            return nil
        }

        public var description: String {
            switch self {
            case .accepted: return "accepted"
            case .refused(let reason, let detail): return "\(reason.rawValue): \(detail)"
            }
        }
    }

    /// The checks that run; all of them unless a measurement asks for fewer.
    public var checks: Set<Reason>
    public var maxCharacters: Int
    public var maxSentences: Int

    public init(checks: Set<Reason> = Set(Reason.allCases), maxCharacters: Int = 400, maxSentences: Int = 3) {
        self.checks = checks
        self.maxCharacters = maxCharacters
        self.maxSentences = maxSentences
    }

    /// - Parameters:
    ///   - summary: what the model wrote, whole or so far.
    ///   - evidence: the outcome's status and the data the model saw.
    public func check(_ summary: String, against evidence: SummaryEvidence) -> Verdict {
        let text = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        for reason in Reason.allCases where checks.contains(reason) {
            if let detail = Self.detail(reason, text, evidence, self) { return .refused(reason, detail) }
        }
        return .accepted
    }

    static let mentionSyntax = try! NSRegularExpression(pattern: #"<[@#!]|(?<![\w.])@[\w.-]+|<at>"#)

    private static func detail(_ reason: Reason, _ text: String, _ evidence: SummaryEvidence, _ limits: SummaryGuard) -> String? {
        switch reason {
        case .empty:
            return text.isEmpty ? "no text" : nil
        case .length:
            if text.count > limits.maxCharacters { return "\(text.count) characters" }
            let sentences = SummaryText.sentences(in: text).count
            return sentences > limits.maxSentences ? "\(sentences) sentences" : nil
        case .mention:
            let range = NSRange(text.startIndex..., in: text)
            return MentionSafety.containsBroadcast(text) || mentionSyntax.firstMatch(in: text, range: range) != nil ? "mention syntax" : nil
        case .markup:
            return MarkupCheck.markup(in: text)
        case .language:
            guard let expected = evidence.language, let found = LanguageGuess.language(of: text), found != expected else { return nil }
            return "written in \(found), the prompt in \(expected)"
        case .polarity:
            return PolarityCheck.contradiction(in: text, evidence: evidence)
        case .number:
            return NumberGrounding.unsupported(in: text, evidence: evidence)
        case .name:
            return NameGrounding.unsupported(in: text, evidence: evidence)
        case .cause:
            return CauseCheck.unsupported(in: text, evidence: evidence)
        case .unstated:
            return CauseCheck.unstated(in: text, evidence: evidence)
        }
    }
}
