import ChatOpsCore
import Foundation

/// Removes secrets from text before it is shown in chat or sent to a model.
///
/// It hides values whose name says they are secret, in any letter case and style: environment variables
/// (`DB_PASSWORD=…`, `export AWS_SECRET_ACCESS_KEY=…`, to the end of the line as `env` prints them), command-line
/// flags (`--password …`, `--token=…`), JSON, YAML and ini keys (`"clientSecret": "…"`, `apiKey: …`,
/// `aws_secret_access_key = …`, YAML block scalars such as `private_key: |`), XML elements and attributes
/// (`<password>…</password>`, `<add key="Password" value="…"/>`), kubeconfig credentials, connection strings
/// (`Password=…;`, `postgres://user:…@host`), authorization and cookie headers, `.netrc` lines; SQL that sets a
/// password (`ALTER ROLE … PASSWORD '…'`, `IDENTIFIED BY '…'`); programs' password flags (`mysql -p…`,
/// `redis-cli -a …`, `curl -u user:…`, `docker login -p …`, `sshpass -p …`, `htpasswd -b …`); tokens of known
/// shapes (Slack, GitHub, OpenAI, AWS, Google, Hugging Face, Stripe, JWTs, …); private key blocks; and every
/// configured secret value. Names and separators stay, so a reader sees what was hidden: `DB_PASSWORD=[REDACTED]`.
/// The patterns are in ``SecretPatterns``.
public struct SecretRedactor: Sendable {
    /// What a secret is replaced with.
    public static let placeholder = "[REDACTED]"
    let literals: [String]

    /// - Parameter secrets: values from the configuration that must never leave (tokens, passwords).
    ///   Values shorter than 4 characters are ignored: they would hide ordinary text.
    public init(secrets: [String] = []) {
        literals = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// - Returns: the text with every secret replaced by ``placeholder``.
    public func redact(_ text: String) -> String {
        var result = text
        for literal in literals { result = result.replacingOccurrences(of: literal, with: Self.placeholder) }
        for (pattern, template) in SecretPatterns.all {
            result = pattern.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: template)
        }
        return result
    }

    /// Whether a name (a fact's, a key's) says that its value is a secret: `db_password`, `token`, `apiKey`.
    static func namesSecret(_ name: String) -> Bool {
        SecretPatterns.name.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }
}

extension SecretRedactor {
    /// The outcome with every text a backend produced redacted: headline, facts, table, log and attachment.
    /// A fact whose name says it is a secret (`db_password`) has its whole value hidden.
    /// Applied before anything is shown in chat or sent to a model.
    public func redact(_ outcome: Outcome) -> Outcome {
        var clean = outcome
        clean.headline = redact(outcome.headline)
        clean.facts = outcome.facts.map { fact in
            Fact(fact.name, Self.namesSecret(fact.name) && !fact.value.isEmpty ? Self.placeholder : redact(fact.value))
        }
        clean.table = outcome.table.map { $0.map(redact) }
        clean.log = outcome.log.map(redact)
        clean.attachment = outcome.attachment.map { Attachment(name: redact($0.name), text: redact($0.text)).limited }
        return clean
    }
}
