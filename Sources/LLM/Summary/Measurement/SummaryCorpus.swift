import ChatOpsCore
import Foundation

/// Outcomes of real backend runs, each labelled with what a faithful summary of it may and may not
/// say: the material `SummaryMeasurement` runs a summarizer over.
public struct SummaryCorpus: Sendable {
    /// One outcome and its labels.
    public struct Entry: Codable, Sendable {
        public var id: String
        /// The backend that produced the outcome (`sandbox`, `kubernetes`, `mlflow` …).
        public var backend: String
        /// The command as a person typed it.
        public var command: String
        public var outcome: Outcome
        public var labels: Labels

        public init(id: String, backend: String, command: String, outcome: Outcome, labels: Labels) {
            self.id = id
            self.backend = backend
            self.command = command
            self.outcome = outcome
            self.labels = labels
        }
    }

    /// What a faithful summary of one outcome may and may not say.
    public struct Labels: Codable, Sendable {
        /// Names that belong to this outcome: models, versions, environments, namespaces, metrics, error codes.
        public var entities: [String]
        /// Case-insensitive regular expressions a faithful summary must not match.
        public var forbidden: [String]
        /// For a failure, the reasons the data states; a summary that gives a reason must give one of these.
        public var reasons: [String]
        /// What a faithful summary may say, for the person reading the results.
        public var note: String

        public init(entities: [String], forbidden: [String], reasons: [String], note: String) {
            self.entities = entities
            self.forbidden = forbidden
            self.reasons = reasons
            self.note = note
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// - Parameter url: a JSON array of entries.
    public init(contentsOf url: URL) throws {
        entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: url))
    }

    /// Every entity of every entry: a summary naming one its own entry lacks has mixed outcomes up.
    public var allEntities: Set<String> {
        Set(entries.flatMap(\.labels.entities).map { $0.lowercased() })
    }
}

extension SummaryCorpus.Entry {
    /// The command as an invocation: its name and the text people typed.
    public var invocation: Invocation {
        Invocation(command: String(command.split(separator: " ").first ?? ""), arguments: [:], displayText: command)
    }
}
