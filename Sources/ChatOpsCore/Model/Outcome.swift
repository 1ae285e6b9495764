import Foundation

/// What a backend reports after running an action.
public struct Outcome: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case succeeded, failed }

    public var status: Status
    /// One line saying what happened.
    public var headline: String
    /// Named facts (`version: v12`, `replicas: 3/3`).
    public var facts: [Fact]
    /// Rows of a table, first row the header.
    public var table: [[String]]
    /// Numeric series (for sparklines).
    public var series: [Series]
    /// The tail of a log, when there is one.
    public var log: String?
    /// True when the result comes from the sandbox backend's simulated fleet.
    public var simulated: Bool
    /// What a quiet schedule entry (`only_on_change`) compares to decide whether this result is news;
    /// nil compares the whole reply. An eval sets its verdict, so a nightly eval posts only when the
    /// verdict changes or something regressed, not because its latencies moved.
    public var changeKey: String?
    /// A file posted in the thread after the reply, where the platform takes files (an eval's
    /// per-case report); redacted, then cut to `Attachment.sizeLimit`, with the rest of the outcome.
    public var attachment: Attachment?

    public init(
        status: Status, headline: String, facts: [Fact] = [], table: [[String]] = [], series: [Series] = [],
        log: String? = nil, simulated: Bool = false, changeKey: String? = nil, attachment: Attachment? = nil
    ) {
        self.attachment = attachment
        self.status = status
        self.headline = headline
        self.facts = facts
        self.table = table
        self.series = series
        self.log = log
        self.simulated = simulated
        self.changeKey = changeKey
    }
}

/// A named value in an outcome or a reply.
public struct Fact: Codable, Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A named series of numbers with a unit.
public struct Series: Codable, Sendable, Equatable {
    public var name: String
    public var unit: String
    public var values: [Double]

    public init(name: String, unit: String, values: [Double]) {
        self.name = name
        self.unit = unit
        self.values = values
    }
}
