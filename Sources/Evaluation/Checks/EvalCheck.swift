import ChatOpsCore

/// What a case's answer must satisfy. In a dataset line each is an object with a `type`:
///
/// | type | fields | passes when the answer … |
/// |---|---|---|
/// | `exact` | `value`, `ignore_case` | equals `value` (surrounding whitespace ignored) |
/// | `contains` / `not_contains` | `value`, `ignore_case` | has / lacks `value` |
/// | `regex` | `pattern` | has a match of `pattern` |
/// | `json_schema` | `schema` | is JSON matching `schema` (a fenced ```json block is read too); the keywords are `type`, `properties`, `required`, `additionalProperties`, `enum`, `const`, `anyOf`, `minimum`, `maximum`, `maxLength`, `pattern` (others are refused when the dataset is read) |
/// | `number` | `value`, `tolerance` | has a number within `tolerance` of `value` (its last number) |
/// | `max_latency_ms` | `value` | arrived within `value` milliseconds |
/// | `judge` | `rubric` | is passed by the configured judge model against `rubric` |
public enum EvalCheck: Sendable, Equatable {
    case exact(String, ignoreCase: Bool)
    case contains(String, ignoreCase: Bool)
    case notContains(String, ignoreCase: Bool)
    case regex(String)
    case jsonSchema(JSONValue)
    case number(Double, tolerance: Double)
    case maxLatency(milliseconds: Double)
    case judge(rubric: String)

    /// The name results are counted under (`contains`, `regex` …).
    public var kind: String {
        switch self {
        case .exact: "exact"
        case .contains: "contains"
        case .notContains: "not_contains"
        case .regex: "regex"
        case .jsonSchema: "json_schema"
        case .number: "number"
        case .maxLatency: "max_latency_ms"
        case .judge: "judge"
        }
    }
}
