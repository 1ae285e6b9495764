import ChatOpsCore
import Foundation

/// Removes secrets from text before it is sent to a model: API keys and tokens of common shapes,
/// bearer and basic authorization values, password assignments, credentials in URLs, private keys,
/// and any configured secret value.
public struct SecretRedactor: Sendable {
    public static let placeholder = "[REDACTED]"
    let literals: [String]

    /// - Parameter secrets: values from the configuration that must never leave (tokens, passwords).
    public init(secrets: [String] = []) {
        literals = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    private static let patterns: [(NSRegularExpression, String)] = [
        (#"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"#, placeholder),
        (#"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}"#, "$1 \(placeholder)"),
        (#"\b(xox[abposr]-[A-Za-z0-9-]{8,}|sk-(?:proj-)?[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|hf_[A-Za-z0-9]{20,})\b"#, placeholder),
        (#"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"#, placeholder),
        (#"(?i)\b([a-z][a-z0-9+.-]*://)[^\s:/@]+:[^\s@/]+@"#, "$1\(placeholder)@"),
        (#"(?i)\b((?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|token|client[_-]?secret)["']?\s*[:=]\s*["']?)[^\s"',;]+"#, "$1\(placeholder)"),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// - Returns: the text with every secret replaced by `[REDACTED]`.
    public func redact(_ text: String) -> String {
        var result = text
        for literal in literals { result = result.replacingOccurrences(of: literal, with: Self.placeholder) }
        for (pattern, template) in Self.patterns {
            result = pattern.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: template)
        }
        return result
    }
}

extension SecretRedactor {
    /// The outcome with every text a backend produced redacted: headline, facts, table and log.
    /// Applied before anything is shown in chat or sent to a model.
    public func redact(_ outcome: Outcome) -> Outcome {
        var clean = outcome
        clean.headline = redact(outcome.headline)
        clean.facts = outcome.facts.map { Fact($0.name, redact($0.value)) }
        clean.table = outcome.table.map { $0.map(redact) }
        clean.log = outcome.log.map(redact)
        return clean
    }
}
