import Foundation

/// The patterns ``SecretRedactor`` applies, in order, each with the template that replaces a match.
///
/// Most secrets are found by their name: a name whose last part is a secret word (`DB_PASSWORD`,
/// `clientSecret`, `--api-key`, `"private_key"`, `MLFLOW_TRACKING_TOKEN`), then `=`, `:`, `:=` or `=>`
/// (or, after a command-line flag, spaces), then the value. The name and the separator stay, so a reader
/// sees what was hidden (`DB_PASSWORD=[REDACTED]`). The other patterns find secrets by their shape
/// (known token prefixes, JWTs, private key blocks) or their place (URL credentials, authorization and
/// cookie headers, `.netrc` lines).
///
/// ICU syntax limited to what Python's `re` shares, so the corpus can be checked outside Swift:
/// lookbehinds have a fixed length, `[`, `{` and `&` inside sets are escaped, case-insensitivity is scoped
/// with `(?i:…)` where camelCase humps must still be told apart.
enum SecretPatterns {
    // MARK: Names that say a secret follows

    /// Words that end a secret's name whatever precedes them: `PGPASSWORD`, `db_password`, `clientSecret`,
    /// `csrftoken`. The word must be last, so `passwordless`, `secretary`, `max_tokens`, `token_count` are not names of secrets.
    static let wordEndingAnyName = #"(?i:password|passwd|passphrase|secret|token)"#

    /// The start of a part of a name: the start of the name, after `_` `.` `-`, or a camelCase hump (`apiKey`).
    static let partStart = #"(?:(?<![A-Za-z0-9])|(?<=[a-z0-9])(?=[A-Z]))"#

    /// Secret words that must be a whole part of the name: `key` only after a word saying what kind
    /// (`api_key`, `AccountKey`, `X-Api-Key`, `tls.key`; never `primary_key`, `sort_key`, `monkey`),
    /// kubeconfig's `client-key-data` and `client-certificate-data` (not `certificate-authority-data`, which is public),
    /// the signatures of presigned URLs (`X-Amz-Signature=`, Azure's `sig=`),
    /// and `pwd` (`MYSQL_PWD`, `Pwd=` in ODBC strings) unless its value is a path (`PWD=/srv/app` is the working directory).
    static let wholePart = #"(?:(?i:api|access|secret|private|signing|encryption|client|master|account|shared|auth|subscription|storage|consumer|app|tls)[_.\-]?(?i:key)|(?i:key|certificate)[_.\-]?(?i:data)|(?i:sig|signature)|(?i:pwd)(?!\#(separator)[/~]))"#

    /// `pass` only as the last part after another (`DB_PASS`, `RABBITMQ_DEFAULT_PASS`, `smtpPass`), never alone (`pass: 12`).
    static let passPart = #"(?:(?<=[A-Za-z0-9][_.\-])|(?<=[a-z0-9])(?=[A-Z]))(?i:pass)"#

    /// The end of a name that says its value is a secret.
    static let secretName = #"(?:\#(wordEndingAnyName)|\#(partStart)\#(wholePart)|\#(passPart))"#

    // MARK: Separators and values

    /// Between a name and its value: an optional closing quote (`"db_password":`), `=`, `:`, `:=` or `=>` with
    /// spaces or tabs around, and an optional opening quote. Quotes may be escaped (JSON inside a JSON string).
    static let separator = #"(?:\\?["'])?[ \t]*(?:=>|:=|:(?!=)|=(?![=>]))[ \t]*(?:\\?["'])?"#

    /// What is not a secret although a secret's name precedes it: booleans and nulls (`use_auth_token: false`),
    /// references (`${DB_PASSWORD}`, `$(cat file)`, `{{ .Values.token }}`), placeholders and a tokenizer's special
    /// tokens (`<your-token>`, `</s>`, `[CLS]`, and `[REDACTED]`, so redacting twice changes nothing), and the start of
    /// a nested object or list (`secret: {name: db}`).
    static let notASecret = #"(?!(?i:true|false|null|none|nil)(?![^\s"',;\&\]\}])|\$[\{\(]|\{\{|<|[\[\{](?:[\s"'\]\}]|$)|\{[A-Za-z_]+:\s|\[[A-Z]+\])"#

    /// A value: after an opening quote up to the closing one (spaces allowed); otherwise up to whitespace,
    /// `,` `;` `&` or a quote.
    static let value = #"(?:(?<=\\")[^"\\\r\n]+|(?<=")(?:[^"\\\r\n]|\\.)+|(?<=')(?:[^'\\\r\n]|\\.)+|(?<!["'])(?!\\["'])[^\s"',;\&]+)"#

    /// A value that looks like a token, needed where only a weak hint precedes it (`Bearer`, `token`, `auth`):
    /// at least 8 characters of a token's alphabet with a digit or a lower-to-upper hump (base64, camelCase), or at
    /// least 20 of them. So `the bearer of bad news`, `Basic authentication`, `token budget`, `PASSWORD` stay.
    static let tokenShaped = #"(?=[A-Za-z._~+/=\-]*[0-9]|[A-Za-z0-9._~+/=\-]*[a-z][A-Z]|[A-Za-z0-9._~+/=\-]{20})[A-Za-z0-9._~+/=\-]{8,}"#

    /// Authorization schemes, kept before the hidden credentials (`Authorization: Bearer [REDACTED]`).
    static let scheme = #"(?i:bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256)"#

    /// Tokens recognised by their prefix: Slack, OpenAI and Anthropic (with a capital, so `sk-ranker-…` pods stay),
    /// Stripe, GitHub, GitLab, AWS access key ids, Google API keys, Hugging Face, npm, PyPI, Databricks, Slack
    /// webhook paths, and JWTs.
    static let knownTokens = #"\b(?:xox[abposre]-[A-Za-z0-9\-]{8,}|xapp-[A-Za-z0-9\-]{8,}|sk-(?=[A-Za-z0-9_\-]*[A-Z])[A-Za-z0-9_\-]{16,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{16,}|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{30,}|hf_[A-Za-z0-9]{20,}|npm_[A-Za-z0-9]{36}|pypi-AgE[A-Za-z0-9_\-]{16,}|dapi[0-9a-f]{32}|(?<=hooks\.slack\.com/services/)[A-Za-z0-9/]+|eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})\b"#

    // MARK: The patterns, in the order they apply

    /// Replaces the whole match.
    private static let hidden = SecretRedactor.placeholder
    /// Keeps the first group (the name, separator and opening quote) and replaces the rest.
    private static let keepFirst = "$1\(SecretRedactor.placeholder)"

    /// Each pattern's source and replacement template, in the order they apply.
    private static let sources: [(pattern: String, template: String)] = [
        // Private key blocks, also when the log was cut before the END line.
        (#"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,8000}?-----END[A-Z ]*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\]*)"#, hidden),
        (knownTokens, hidden),
        // Credentials in URLs: the password goes, the user stays (`postgres://mlflow:[REDACTED]@db`).
        (#"(?i)\b([a-z][a-z0-9+.\-]{0,30}://)([^\s:/@"']*):[^\s/@?#"']+@"#, "$1$2:\(SecretRedactor.placeholder)@"),
        // Authorization and cookie headers: everything after the scheme, to the end of the line or quote.
        (#"((?<![A-Za-z0-9])(?i:authorization|cookie)\#(separator)(?:\#(scheme)[ \t]+|(?!\#(scheme)[ \t])))\#(notASecret)[^\s"'\\][^\r\n"'\\]*"#, keepFirst),
        // `DB_PASSWORD=…`, `"clientSecret": "…"`, `apiKey: …`, `--password=…`, `'password' => '…'`.
        (#"(\#(secretName)\#(separator))\#(notASecret)\#(value)"#, keepFirst),
        // XML elements: `<password>…</password>`, `<keyStorePassword>…</keyStorePassword>`.
        (#"(<[A-Za-z0-9_.:\-]*?\#(secretName)(?:[ \t][^<>]*)?>)\#(notASecret)[^<\r\n]+(?=</)"#, keepFirst),
        // `--password …`, `-token …`: a flag and a value that is not another flag or a usage text's `TOKEN`.
        (#"((?<![A-Za-z0-9_.\-])--?[A-Za-z0-9_.\-]*?\#(secretName)[ \t]+["']?)(?!-)(?![A-Z][A-Z_]*(?:[\s\]\)|,;\&"']|$))\#(notASecret)\#(value)"#, keepFirst),
        // Weak hints followed by something token-shaped: `Bearer …`, `token …`, `ENV DB_PASSWORD …`, docker's `"auth": "…"`.
        (#"((?:(?<![A-Za-z0-9])(?i:bearer|basic)|(?i:token|password|passwd))[ \t]+|(?<![A-Za-z0-9])(?i:auth)\#(separator))\#(tokenShaped)"#, keepFirst),
        // `.netrc`: `machine h login u password p`, or a line of its own `password p` (not a plain word: `Password expired`).
        (#"(?i)(\blogin[ \t]+\S+[ \t]+(?:password|passwd)[ \t]+)\S+"#, keepFirst),
        (#"(?m)^([ \t]*(?i:password|passwd)[ \t]+)(?![A-Za-z][a-z]*[ \t]*$)\S+(?=[ \t]*$)"#, keepFirst),
    ]

    /// The compiled patterns, each with the template that replaces a match, in the order they apply.
    static let all: [(NSRegularExpression, String)] = sources.map { (try! NSRegularExpression(pattern: $0.pattern), $0.template) }

    /// Matches a name that says its value is a secret, such as a fact's: `db_password`, `token`, `apiKey`.
    static let name = try! NSRegularExpression(pattern: #"\#(secretName)[ \t]*$"#)
}
