import Foundation

/// The patterns ``SecretRedactor`` applies, in order, each with the template that replaces a match.
///
/// Most secrets are found by their name: a name whose last part is a secret word (`DB_PASSWORD`,
/// `clientSecret`, `--api-key`, `"private_key"`, `MLFLOW_TRACKING_TOKEN`), then `=`, `:`, `:=` or `=>`
/// (or, after a command-line flag, spaces), then the value. The name and the separator stay, so a reader
/// sees what was hidden (`DB_PASSWORD=[REDACTED]`). At the start of a line (`env`, `.env`, ini, YAML) an
/// unquoted value runs to the end of the line; a YAML block scalar (`password: |`) loses its whole indented
/// block; an XML element named by an attribute (`<add key="Password" value="…"/>`) loses its value.
/// The other patterns find secrets by their shape (known token prefixes, JWTs, private key blocks) or their
/// place (URL credentials, authorization and cookie headers, SQL that sets a password, programs' short
/// password flags such as `mysql -p…` or `redis-cli -a …`, `.netrc` lines).
///
/// ICU syntax limited to what Python's `re` shares, so the corpus can be checked outside Swift:
/// lookbehinds have a fixed length, `[`, `{` and `&` inside sets are escaped, case-insensitivity is scoped
/// with `(?i:…)` where camelCase humps must still be told apart. Long values stay within ICU's backtracking stack:
/// loops that would keep a state per character (`(?:a|b)+`, `x{8,}`) are written as runs or lazy scans, and scans
/// of a line or a command are bounded.
///
/// Redacting twice must change nothing more. Every pattern leaves `[REDACTED]` alone (``notASecret``), and a pattern
/// whose match depends on the text around a value (a command's arguments, a tag's attributes) runs after the patterns
/// that may hide parts of that text.
enum SecretPatterns {
    // MARK: Names that say a secret follows

    /// Words that end a secret's name whatever precedes them: `PGPASSWORD`, `db_password`, `clientSecret`,
    /// `csrftoken`. The word must be last, so `passwordless`, `secretary`, `max_tokens`, `token_count` are not names of secrets.
    static let wordEndingAnyName = #"(?i:password|passwd|passphrase|secret|token)"#

    /// The start of a part of a name: the start of the name, after `_` `.` `-`, or a camelCase hump (`apiKey`).
    static let partStart = #"(?:(?<![A-Za-z0-9])|(?<=[a-z0-9])(?=[A-Z]))"#

    /// Secret words that must be a whole part of the name: `key` only after a word saying what kind
    /// (`api_key`, `AccountKey`, `X-Api-Key`, `tls.key`, `ENCRYPTION_KEY`, Airflow's `FERNET_KEY`, `JWT_KEY`, `HMAC_KEY`,
    /// `session_key`, which holds a session id; never `primary_key`, `sort_key`, `public_key`, `monkey`), Rails' `secret_key_base`,
    /// kubeconfig's `client-key-data` and `client-certificate-data` (not `certificate-authority-data`, which is public),
    /// the signatures of presigned URLs (`X-Amz-Signature=`, Azure's `sig=`),
    /// and `pwd` (`MYSQL_PWD`, `Pwd=` in ODBC strings) unless its value is a path (`PWD=/srv/app` is the working directory).
    static let wholePart =
        #"(?:(?i:api|access|secret|private|signing|encrypt(?:ion)?|client|master|account|shared|auth|subscription|storage|consumer|app|tls|fernet|jwt|hmac|session)[_.\-]?(?i:key)|(?i:secret)[_.\-]?(?i:key)[_.\-]?(?i:base)|(?i:key|certificate)[_.\-]?(?i:data)|(?i:sig|signature)|(?i:pwd)(?!\#(separator)[/~]))"#

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
    /// tokens (`<your-token>`, `</s>`, `[CLS]`, and `[REDACTED]`, so redacting twice changes nothing), the start of
    /// a nested object or list (`secret: {name: db}`), a YAML block scalar's indicator (`password: |`, `token: >-`),
    /// whose indented block the block scalar pattern hides, and a size (`kubectl describe secret`'s `password:  16 bytes`).
    static let notASecret =
        #"(?!(?i:true|false|null|none|nil)(?![^\s"',;\&\]\}])|\$[\{\(]|\{\{|<|[\[\{](?:[\s"'\]\}]|$)|\{[A-Za-z_]+:\s|\[[A-Z]+\]|[|>][0-9+\-]{0,2}[ \t]*(?:#[^\r\n]*)?(?:\r?\n|$)|[0-9]+ bytes(?![^\s]))"#

    /// The inside of a double-quoted string, up to the closing quote, with backslash escapes (`\"`).
    /// Written as runs between escapes, not as a loop over characters, so that ICU needs no backtracking state per
    /// character: a loop such as `(?:[^"]|\\.)+` overflows its stack on a quoted value of 60,000 to 80,000 characters.
    static let inDoubleQuotes = #"(?:[^"\\\r\n]|\\[^\r\n])[^"\\\r\n]*(?:\\[^\r\n][^"\\\r\n]*)*"#

    /// The inside of a single-quoted string, up to the closing quote, with backslash escapes; written as ``inDoubleQuotes``.
    static let inSingleQuotes = #"(?:[^'\\\r\n]|\\[^\r\n])[^'\\\r\n]*(?:\\[^\r\n][^'\\\r\n]*)*"#

    /// A value: after an opening quote up to the closing one (spaces allowed); otherwise up to whitespace,
    /// `,` `;` `&` or a quote.
    static let value = #"(?:(?<=\\")[^"\\\r\n]+|(?<=")\#(inDoubleQuotes)|(?<=')\#(inSingleQuotes)|(?<!["'])(?!\\["'])[^\s"',;\&]+)"#

    /// A value at the start of a line: quoted as in ``value``; otherwise to the end of the line, spaces, `,` and `;`
    /// included, as `env` prints `DB_PASSWORD=Hunter2 Hunter2` and ini and YAML read `password = ab;cd`. It stops only
    /// before another setting on the same line (`Password=…;Encrypt=True`, `DB_PASSWORD=… DB_USER=bot`, a form's
    /// `token=…&team_id=T1`): a space, `,`, `;` or `&` then a name and `=` (names after `;` may hold spaces, as connection
    /// strings' `User ID=` do). The scan is lazy, which ICU runs without a backtracking state per character.
    static let lineValue =
        #"(?:(?<=\\")[^"\\\r\n]+|(?<=")\#(inDoubleQuotes)|(?<=')\#(inSingleQuotes)|(?<!["'])(?!\\["'])[^\s"'][^\r\n]*?(?=(?:[;,\&][ \t]?[A-Za-z_][A-Za-z0-9_. \-]{0,60}|[ \t,][A-Za-z_][A-Za-z0-9_.\-]{0,60})=|[\r\n]|$))"#

    /// A value that looks like a token, needed where only a weak hint precedes it (`Bearer`, `token`, `auth`):
    /// at least 8 characters of a token's alphabet with a digit or a lower-to-upper hump (base64, camelCase), or at
    /// least 20 of them. So `the bearer of bad news`, `Basic authentication`, `token budget`, `PASSWORD` stay.
    /// (`{8}` then `*` rather than `{8,}`, which ICU runs with a backtracking state per character.)
    static let tokenShaped =
        #"(?=[A-Za-z._~+/=\-]*[0-9]|[A-Za-z0-9._~+/=\-]*[a-z][A-Z]|[A-Za-z0-9._~+/=\-]{20})[A-Za-z0-9._~+/=\-]{8}[A-Za-z0-9._~+/=\-]*"#

    /// Authorization schemes, kept before the hidden credentials (`Authorization: Bearer [REDACTED]`).
    static let scheme = #"(?i:bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256)"#

    /// Tokens recognised by their prefix: Slack, OpenAI and Anthropic (with a capital, so `sk-ranker-…` pods stay),
    /// Stripe, GitHub, GitLab, AWS access key ids, Google API keys, Hugging Face, npm, PyPI, Databricks, Slack
    /// webhook paths, and JWTs.
    static let knownTokens =
        #"\b(?:xox[abposre]-[A-Za-z0-9\-]{8,}|xapp-[A-Za-z0-9\-]{8,}|sk-(?=[A-Za-z0-9_\-]*[A-Z])[A-Za-z0-9_\-]{16,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{16,}|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{30,}|hf_[A-Za-z0-9]{20,}|npm_[A-Za-z0-9]{36}|pypi-AgE[A-Za-z0-9_\-]{16,}|dapi[0-9a-f]{32}|(?<=hooks\.slack\.com/services/)[A-Za-z0-9/]+|eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})\b"#

    // MARK: Commands

    /// Where a program's name or a flag starts: not inside a word or a name (`/usr/bin/mysql` counts, `automysql` does not).
    static let programStart = #"(?<![A-Za-z0-9_.\-])"#

    /// One argument of a command, as the programs' password flags skip them (`(?:[ \t]+(?!-p)\#(commandArgument)){0,40}?`):
    /// never a separator (`|`, `||`, `&`, `&&` standing alone) nor an argument starting or ending with `;`, so that a
    /// flag is read as the program's own, never as the next command's (`docker login … && docker run -p 8080:80 …`);
    /// never a redirection or a tag (`<`, `>`), after which no hidden XML value can move where the command ends.
    /// Each program skips at most 40 arguments, lazily, and never its own flag: only the flag's first occurrence counts,
    /// so a value hidden once is not passed over to find another on a second pass. Whole arguments rather than characters
    /// keep a long line of program names cheap; they are written as runs between `;` because ICU backtracks exponentially
    /// over the equivalent `[^\s]*[^\s;]` in this loop.
    static let commandArgument = #"(?!(?:\&\&?|\|\|?)(?![^\s]))[^\s;<>]+(?:;[^\s;<>]+)*"#

    /// A command-line argument: after an opening quote up to the closing one (spaces allowed, no escapes in single quotes),
    /// otherwise up to whitespace, a quote or a redirection (`-pHunter2<dump.sql`), never starting with a separator
    /// (`&&`, `|`, `;`) nor ending with the `;` that ends a command (``commandArgument``).
    static let argument = #"(?:(?<=")\#(inDoubleQuotes)|(?<=')[^'\r\n]+|(?<!["'])(?![\&|;])[^\s"'<>]*[^\s"'<>;])"#

    // MARK: SQL

    /// SQL that sets a password, up to its opening quote: `ALTER ROLE app WITH PASSWORD '…'`, `ENCRYPTED PASSWORD '…'`,
    /// `CREATE USER x IDENTIFIED BY '…'`, MySQL's `IDENTIFIED WITH caching_sha2_password BY '…'`,
    /// `SET PASSWORD FOR 'u'@'h' = '…'` and `PASSWORD('…')`. `password` must be followed by a space or `(`, so
    /// JSON's `"password": …` and Python's `KeyError: 'password'` are not read as SQL.
    static let sqlPasswordStart =
        #"(?<![A-Za-z0-9_])(?:(?i:password)(?:[ \t]+|[ \t]*\([ \t]*)|(?i:identified)[ \t]+(?:(?i:with)[ \t]+[A-Za-z0-9_]+[ \t]+)?(?i:by)[ \t]+(?:(?i:password|values)[ \t]+)?|(?i:set[ \t]+password[ \t]+for)[ \t]+\#(sqlAccount)[ \t]*=[ \t]*)"#

    /// A MySQL account: `'app'@'localhost'`, `app@'%'`, `` `app` ``, `app`, `CURRENT_USER()`.
    static let sqlAccount =
        #"(?:(?i:current_user)(?:\(\))?|(?:'[^'\r\n]*'|"[^"\r\n]*"|`[^`\r\n]*`|[A-Za-z0-9_.$\-]+)(?:@(?:'[^'\r\n]*'|"[^"\r\n]*"|`[^`\r\n]*`|[A-Za-z0-9_.%\-]+))?)"#

    /// A SQL password: a quoted string, where a quote is doubled (`'it''s'`) or escaped (runs between them, as in
    /// ``inDoubleQuotes``), or Oracle's unquoted `IDENTIFIED BY tiger` (an identifier), in upper case only so that
    /// prose (`identified by name`) stays, and never MySQL's `IDENTIFIED BY RANDOM PASSWORD`.
    static let sqlPassword =
        #"(?:(?<=')(?:[^'\\\r\n]|\\[^\r\n]|'')[^'\\\r\n]*(?:(?:\\[^\r\n]|'')[^'\\\r\n]*)*|(?<=")(?:[^"\\\r\n]|\\[^\r\n]|"")[^"\\\r\n]*(?:(?:\\[^\r\n]|"")[^"\\\r\n]*)*|(?<=BY[ \t])(?!(?:RANDOM|PASSWORD|VALUES)\b)[A-Za-z][A-Za-z0-9_$#]*)"#

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
        (
            #"((?<![A-Za-z0-9])(?i:authorization|cookie)\#(separator)(?:\#(scheme)[ \t]+|(?!\#(scheme)[ \t])))\#(notASecret)[^\s"'\\][^\r\n"'\\]*"#,
            keepFirst
        ),
        // A YAML block scalar (`password: |`, `private_key: |-`, `token: >-`): the name, the indicator and the first line's
        // indentation stay, every line indented deeper than the name goes (blank lines inside too). The lookahead after
        // the indentation, here and below, quickly passes over blank lines.
        (
            #"(?m)^(([ \t]*)(?=[A-Za-z0-9_.\-"'])(?:-[ \t]+)?["']?[A-Za-z0-9_.\-]{0,100}?\#(secretName)["']?[ \t]*:[ \t]+[|>][0-9+\-]{0,2}[ \t]*(?:#[^\r\n]*)?\r?\n(?:[ \t]*\r?\n){0,20}\2[ \t]+)[^\s][^\r\n]*(?:(?:\r?\n[ \t]*){0,20}\r?\n\2[ \t][^\r\n]*)*"#,
            keepFirst
        ),
        // SQL: `WITH PASSWORD '…'`, `IDENTIFIED BY '…'`, `SET PASSWORD FOR 'u'@'h' = '…'` (the quotes stay).
        (#"(\#(sqlPasswordStart)["']?)\#(sqlPassword)"#, keepFirst),
        // At the start of a line, optionally after `export `, `declare -x ` or `set `: `DB_PASSWORD=Hunter2 Hunter2`,
        // `secret=ab,cd`, `password: ab;cd` lose everything to the end of the line.
        (
            #"(?m)^([ \t]*(?=[A-Za-z0-9_.\-"'])(?:export[ \t]+|declare[ \t]+-[A-Za-z]+[ \t]+|(?i:set)[ \t]+)?["']?[A-Za-z0-9_.\-]{0,100}?\#(secretName)\#(separator))\#(notASecret)\#(lineValue)"#,
            keepFirst
        ),
        // `DB_PASSWORD=…`, `"clientSecret": "…"`, `apiKey: …`, `--password=…`, `'password' => '…'`.
        (#"(\#(secretName)\#(separator))\#(notASecret)\#(value)"#, keepFirst),
        // XML elements: `<password>…</password>`, `<keyStorePassword>…</keyStorePassword>`.
        (#"(<[A-Za-z0-9_.:\-]*?\#(secretName)(?:[ \t][^<>]*)?>)\#(notASecret)[^<\r\n]+(?=</)"#, keepFirst),
        // `--password …`, `-token …`: a flag and a value that is not another flag or a usage text's `TOKEN`.
        (
            #"((?<![A-Za-z0-9_.\-])--?[A-Za-z0-9_.\-]*?\#(secretName)[ \t]+["']?)(?!-)(?![A-Z][A-Z_]*(?:[\s\]\)|,;\&"']|$))\#(notASecret)\#(value)"#,
            keepFirst
        ),
        // Weak hints followed by something token-shaped: `Bearer …`, `token …`, `ENV DB_PASSWORD …`, docker's `"auth": "…"`.
        (
            #"((?:(?<![A-Za-z0-9])(?i:bearer|basic)|(?i:token|password|passwd))[ \t]+|(?<![A-Za-z0-9])(?i:auth)\#(separator))\#(tokenShaped)"#,
            keepFirst
        ),
        // `.netrc`: `machine h login u password p`, or a line of its own `password p` (not a plain word: `Password expired`).
        (#"(?i)(\blogin[ \t]+\S+[ \t]+(?:password|passwd)[ \t]+)\S+"#, keepFirst),
        (#"(?m)^([ \t]*(?i:password|passwd)[ \t]+)(?![A-Za-z][a-z]*[ \t]*$)\S+(?=[ \t]*$)"#, keepFirst),
        // Programs' password flags. Each short flag counts only after its own program, earlier in the same command, because
        // its letter means something else elsewhere (`mkdir -p`, `ssh -p 2222`, `redis-cli -p 6379`, `ps -u root`, `cp -a`).
        // One pattern each, so that skipping one program's arguments never hides another's flag, and after the patterns
        // above, whose hidden words (`.netrc`'s `\S+`) would otherwise move where a command ends on a second pass.
        // Java keytool's `-storepass`, `-keypass`, `-srcstorepass`, `-deststorepass`, and OpenSSL's `-pass`, `-passin`,
        // `-passout` with a literal `pass:…` (not `env:NAME` or `file:path`), after any program.
        (#"(\#(programStart)(?:-(?:src|dest)?(?:store|key)pass[ \t]+|-pass(?:in|out)?[ \t]+pass:)["']?)(?!-)\#(notASecret)\#(argument)"#, keepFirst),
        // The MySQL and MariaDB clients' `-p` with the password attached (`mysql -uroot -pHunter2`, `mysqldump -p'Hunter2'`);
        // a lone `-p` prompts (`mysql -u root -p mlflow`: `mlflow` is the database) and `-P` is the port.
        (
            #"(\#(programStart)(?:mysql[a-z]*|mariadb(?:-[a-z]+)?)(?:[ \t]+(?!-p)\#(commandArgument)){0,40}?[ \t]+-p["']?)(?!-)\#(notASecret)\#(argument)"#,
            keepFirst
        ),
        // The MongoDB tools' `-p` (`mongosh -u admin -p …`; a lone `-p` before another flag prompts).
        (#"(\#(programStart)mongo[a-z]*(?:[ \t]+(?!-p)\#(commandArgument)){0,40}?[ \t]+-p[ \t]*["']?)(?!-)\#(notASecret)\#(argument)"#, keepFirst),
        // SQL Server's `sqlcmd` and `bcp`: `-P …` (`-p` prints statistics).
        (#"(\#(programStart)(?:sqlcmd|bcp)(?:[ \t]+(?!-P)\#(commandArgument)){0,40}?[ \t]+-P[ \t]*["']?)(?!-)\#(notASecret)\#(argument)"#, keepFirst),
        // `redis-cli -a …` and `--pass …` (its `-p` is the port).
        (
            #"(\#(programStart)redis-cli(?:[ \t]+(?!(?:-a|--pass)(?![^\s]))\#(commandArgument)){0,40}?[ \t]+(?:-a|--pass)[ \t]+["']?)(?!-)\#(notASecret)\#(argument)"#,
            keepFirst
        ),
        // `sshpass -p …`, only before the command it runs, whose own `-p` is a port (`sshpass -f file ssh -p 2222 host`).
        (#"(\#(programStart)sshpass(?:[ \t]+-v)*[ \t]+-p[ \t]*["']?)(?!-)\#(notASecret)\#(argument)"#, keepFirst),
        // `-p` after `docker login` and the like: podman, nerdctl, buildah, skopeo, oras, `helm registry`, OpenShift's `oc`,
        // Cloud Foundry's `cf` (`docker run -p 8080:80` after `&&` is another command).
        (
            #"(\#(programStart)(?:docker|podman|nerdctl|buildah|skopeo|oras|oc|cf|helm[ \t]+registry)[ \t]+login(?:[ \t]+(?!-p)\#(commandArgument)){0,40}?[ \t]+-p[ \t]*["']?)(?!-)\#(notASecret)\#(argument)"#,
            keepFirst
        ),
        // curl's `-u user:…` and `--proxy-user user:…`: the user stays, the password goes; `curl -u admin` (a prompt) stays.
        // Only after `curl`, since `docker run -u 1000:1000` is a uid and gid. Bundled flags count (`curl -fsSu user:…`).
        (
            #"(\#(programStart)curl(?:[ \t]+(?!-[A-Za-z]*[uU](?![^\s])|-[uU]|--(?:proxy-)?user(?![^\s=]))\#(commandArgument)){0,40}?[ \t]+(?:-[A-Za-z]*[uU][ \t]+|-[uU]|--(?:proxy-)?user(?:[ \t]+|=))["']?[^\s:"']*:)\#(notASecret)\#(argument)"#,
            keepFirst
        ),
        // `htpasswd -b` (batch mode) takes the password as its last argument, after the flags and the file and user
        // (only the user with `-n`): `htpasswd -bc /etc/nginx/.htpasswd admin …`, `htpasswd -nb admin … > file`.
        (
            #"(\#(programStart)htpasswd(?:[ \t]+-[A-Za-z]+){0,4}?[ \t]+-[A-Za-z]*b[A-Za-z]*(?:[ \t]+[^\s"';\&|<>]+){1,2}[ \t]+["']?)(?!-)\#(notASecret)\#(argument)(?=["']?[ \t]*(?:[0-9]?[<>]|[\r\n;\&|]|$))"#,
            keepFirst
        ),
        // XML elements named by an attribute: `<add key="Password" value="…"/>`, `<property name="db.password" value="…"/>`,
        // `<entry name="password">…</entry>`. The name is the first `key` or `name` attribute, only the first `value` attribute
        // after it counts, and the element's text only when it has none, so that a value hidden once is not passed over to
        // hide something else on a second pass. Last, after every pattern that may hide part of a tag.
        (
            #"(<[A-Za-z][A-Za-z0-9_.:\-]*(?:(?![ \t](?i:key|name)[ \t]*=)[^<>\r\n]){0,200}?[ \t](?i:key|name)[ \t]*=[ \t]*["'][A-Za-z0-9_.:\-]{0,100}?\#(secretName)["'](?:(?![ \t](?i:value)[ \t]*=)[^<>\r\n]){0,200}?(?:[ \t](?i:value)[ \t]*=[ \t]*["']|(?<!/)>))\#(notASecret)(?:(?<=")[^"<\r\n]+|(?<=')[^'<\r\n]+|(?<=>)[^<\r\n]+(?=</))"#,
            keepFirst
        ),
    ]

    /// The compiled patterns, each with the template that replaces a match, in the order they apply.
    static let all: [(NSRegularExpression, String)] = sources.map { (try! NSRegularExpression(pattern: $0.pattern), $0.template) }

    /// Matches a name that says its value is a secret, such as a fact's: `db_password`, `token`, `apiKey`.
    static let name = try! NSRegularExpression(pattern: #"\#(secretName)[ \t]*$"#)
}
