import Foundation

/// Turns an action's outcome into the reply people read.
public protocol Summarizer: Sendable {
    /// - Parameters:
    ///   - outcome: what the backend reported.
    ///   - invocation: the command that ran.
    ///   - spec: its declaration.
    /// - Returns: the reply to post.
    func summarize(_ outcome: Outcome, of invocation: Invocation, spec: CommandSpec) async -> Reply

    /// True when `summarize(_:of:spec:progress:)` shows partial summaries; callers then post the
    /// reply early and edit it.
    var streams: Bool { get }

    /// The same, showing the summary as it is written: `progress` receives partial replies (each one
    /// already safe to post) at most about once a second; the returned reply is the final one.
    /// - Parameter progress: shows a partial reply, typically by editing the posted message.
    func summarize(
        _ outcome: Outcome, of invocation: Invocation, spec: CommandSpec, progress: @escaping @Sendable (Reply) async -> Void
    ) async -> Reply
}

extension Summarizer {
    public var streams: Bool { false }

    /// Summarizers that cannot stream show nothing before the final reply.
    public func summarize(
        _ outcome: Outcome, of invocation: Invocation, spec: CommandSpec, progress: @escaping @Sendable (Reply) async -> Void
    ) async -> Reply {
        await summarize(outcome, of: invocation, spec: spec)
    }
}

/// The deterministic summary: the outcome's headline, facts, table and sparklines, laid out the
/// same way every time. Used until an LLM is configured, and whenever one fails or is refused.
public struct TemplateSummarizer: Summarizer {
    public init() {}

    public func summarize(_ outcome: Outcome, of invocation: Invocation, spec: CommandSpec) async -> Reply {
        render(outcome, of: invocation)
    }

    /// The synchronous form, for callers that are not async.
    public func render(_ outcome: Outcome, of invocation: Invocation) -> Reply {
        var text = outcome.headline
        if let log = outcome.log, !log.isEmpty {
            text += "\n```\n\(log)\n```"
        }
        let series = outcome.series.map { series -> Fact in
            let last = series.values.last.map { Self.format($0) } ?? "–"
            return Fact(series.name, "\(Sparkline.render(series.values)) \(last)\(series.unit.isEmpty ? "" : " \(series.unit)")")
        }
        return Reply(
            tone: outcome.status == .succeeded ? .success : .error,
            title: "`\(invocation.displayText)`",
            text: text,
            fields: outcome.facts + series,
            table: outcome.table,
            series: outcome.series,
            footer: outcome.simulated ? "sandbox backend: simulated fleet, nothing real was changed" : nil)
    }

    /// Numbers as people read them: at most three decimals, no trailing zeros.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
