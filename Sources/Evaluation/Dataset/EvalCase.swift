import ChatOpsCore
import LLM

/// One case of an evaluation dataset: what the target is asked, the slice it belongs to (for
/// results per slice), and the checks its answer must pass.
public struct EvalCase: Sendable, Equatable {
    /// The case's id (from the file, or `line-N`), stable across runs so that two runs pair up.
    public var id: String
    /// The conversation sent to the target: one user message for a plain `input` prompt.
    public var messages: [ChatMessage]
    /// Where the case falls for per-slice results (`refunds`, `math`); nil counts only overall.
    public var slice: String?
    public var checks: [EvalCheck]

    public init(id: String, messages: [ChatMessage], slice: String? = nil, checks: [EvalCheck]) {
        self.id = id
        self.messages = messages
        self.slice = slice
        self.checks = checks
    }
}
