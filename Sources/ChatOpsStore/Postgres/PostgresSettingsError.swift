/// Why a PostgreSQL URL or setting cannot be used. The URL itself is never repeated: a wrong one may
/// hold a secret.
public enum PostgresSettingsError: Error, Equatable, CustomStringConvertible {
    /// The text is not a URL.
    case invalidURL
    /// A scheme other than `postgres` or `postgresql`.
    case unsupportedScheme(String)
    /// The URL holds a password; it must come from its own setting, a secret, instead.
    case passwordInURL
    case missingHost
    case missingUsername
    /// The URL names no database (`/name` after the host).
    case missingDatabase
    /// A port outside 1…65535.
    case invalidPort(Int)
    /// A TLS mode other than `disable`, `prefer` or `require`, in `?sslmode=` or the TLS setting.
    case unknownTLSMode(String)
    /// A `?name=value` parameter other than `sslmode`.
    case unsupportedParameter(String)

    public var description: String {
        switch self {
        case .invalidURL: return "the PostgreSQL URL is not a URL: write postgres://user@host:5432/database"
        case .unsupportedScheme(let scheme): return "the PostgreSQL URL starts with \(scheme)://: write postgres:// or postgresql://"
        case .passwordInURL:
            return "the PostgreSQL URL holds a password: remove it from the URL and give the password in its own setting, from a secret"
        case .missingHost: return "the PostgreSQL URL names no host: write postgres://user@host:5432/database"
        case .missingUsername: return "the PostgreSQL URL names no user: write postgres://user@host:5432/database"
        case .missingDatabase: return "the PostgreSQL URL names no database: write postgres://user@host:5432/database"
        case .invalidPort(let port): return "the PostgreSQL port \(port) is not between 1 and 65535"
        case .unknownTLSMode(let mode): return "the TLS mode '\(mode)' is not one of disable, prefer, require"
        case .unsupportedParameter(let name): return "the PostgreSQL URL parameter '\(name)' is not supported: only sslmode is"
        }
    }
}
