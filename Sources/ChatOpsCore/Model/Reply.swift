import Foundation

/// A platform-neutral message from the bot. Each platform renders it in its own format.
public struct Reply: Codable, Sendable, Equatable {
    /// The tone a platform may show with colour or an emoji.
    public enum Tone: String, Codable, Sendable { case info, success, warning, error, pending }

    public var tone: Tone
    public var title: String?
    public var text: String
    public var fields: [Fact]
    public var table: [[String]]
    public var series: [Series]
    public var buttons: [ButtonAction]
    /// Shown only to the person who asked, where the platform can.
    public var ephemeral: Bool
    public var footer: String?
    /// A summary a language model wrote of the facts above, shown after them and labelled as the
    /// model's; never the only account of what happened.
    public var modelNote: ModelNote?
    /// How a model wrote this reply, when one did (recorded in the audit log, never rendered).
    public var provenance: SummaryProvenance?

    public init(
        tone: Tone = .info, title: String? = nil, text: String, fields: [Fact] = [], table: [[String]] = [],
        series: [Series] = [], buttons: [ButtonAction] = [], ephemeral: Bool = false, footer: String? = nil
    ) {
        self.tone = tone
        self.title = title
        self.text = text
        self.fields = fields
        self.table = table
        self.series = series
        self.buttons = buttons
        self.ephemeral = ephemeral
        self.footer = footer
    }

    /// An error reply, shown only to the person who asked.
    public static func error(_ text: String) -> Reply {
        Reply(tone: .error, text: text, ephemeral: true)
    }
}

/// Text a language model wrote about a reply's facts, with who wrote it.
public struct ModelNote: Codable, Sendable, Equatable {
    public var text: String
    /// The model's name, shown with the text.
    public var model: String
    /// True while the model is still writing: the text is a partial summary.
    public var writing: Bool

    public init(text: String, model: String, writing: Bool = false) {
        self.text = text
        self.model = model
        self.writing = writing
    }

    /// The label shown before the text.
    public var label: String { "Summary written by the language model \(model)\(writing ? " (still writing)" : "")" }
}

/// Which model and prompt wrote a summary, and what it cost.
public struct SummaryProvenance: Codable, Sendable, Equatable {
    public var model: String
    public var promptVersion: String
    public var promptTokens: Int
    public var completionTokens: Int
    public var latencyMilliseconds: Int

    public init(model: String, promptVersion: String, promptTokens: Int, completionTokens: Int, latencyMilliseconds: Int) {
        self.model = model
        self.promptVersion = promptVersion
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latencyMilliseconds = latencyMilliseconds
    }
}
