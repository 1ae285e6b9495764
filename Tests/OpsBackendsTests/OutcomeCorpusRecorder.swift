import ChatOpsCore
import Foundation
import OpsBackends
import Testing

/// Records a corpus of real backend outcomes (`Tests/Corpus/outcomes.json`), each with hand-written
/// labels of what a faithful summary may and may not say, for measuring whether summaries mislead.
///
/// Runs only when `CHATOPS_RECORD_CORPUS` is set (to the output path, relative to the package, or
/// `1` for the default), and needs the servers `scripts/test` starts (Prometheus, MLflow):
/// `CHATOPS_RECORD_CORPUS=Tests/Corpus/outcomes.json scripts/test --filter "Outcome corpus recorder"`.
@Suite("Outcome corpus recorder", .enabled(if: ProcessInfo.processInfo.environment["CHATOPS_RECORD_CORPUS"] != nil), .serialized)
struct OutcomeCorpusRecorder {
    static let backends = ["sandbox", "program", "http", "prometheus", "mlflow", "kubernetes", "kserve"]

    @Test(.timeLimit(.minutes(10)))
    func recordsTheOutcomesOfEveryBackend() async throws {
        var entries: [CorpusEntry] = []
        entries += try await Self.sandboxEntries()
        entries += try await Self.programEntries()
        entries += try await Self.httpEntries()
        entries += try await Self.prometheusEntries()
        entries += try await Self.mlflowEntries()
        entries += try await Self.kubernetesEntries()
        entries += try await Self.kserveEntries()
        try Self.write(entries, to: Self.outputURL)

        #expect(entries.count >= 60, "\(entries.count) entries")
        #expect(Set(entries.map(\.backend)) == Set(Self.backends))
        #expect(Set(entries.map(\.id)).count == entries.count, "every id is used once")
        for entry in entries where entry.outcome.status == .failed {
            #expect(!entry.labels.reasons.isEmpty, "\(entry.id) failed but gives no reasons")
        }
        for entry in entries {
            for problem in Self.problems(in: entry) { Issue.record("\(entry.id): \(problem)") }
        }
    }
}

// MARK: The corpus

/// What a faithful summary of one outcome may and may not say; written by hand for each scenario.
struct CorpusLabels: Codable, Sendable {
    /// Names that truly belong to the outcome: models, versions, environments, namespaces, metrics, error codes.
    var entities: [String]
    /// Case-insensitive regular expressions a faithful summary of this outcome must not match.
    var forbidden: [String]
    /// For failures: the reasons the outcome states (lowercase phrases found in it) that a summary may give.
    var reasons: [String]
    /// What a faithful summary may say, in one line.
    var note: String
}

/// One recorded outcome.
struct CorpusEntry: Codable, Sendable {
    var id: String
    /// The kind of backend: one of `OutcomeCorpusRecorder.backends`.
    var backend: String
    /// The chat command that produces the action.
    var command: String
    var outcome: Outcome
    var labels: CorpusLabels
}

/// One run of a backend: the chat command, the action its command file renders, and the labels.
struct CorpusScenario: Sendable {
    var id: String
    var command: String
    var action: Action
    var expected: Outcome.Status
    var labels: CorpusLabels
    /// Another backend than the group's (other credentials, a slower poll, a server that is not there).
    var backend: (any Backend)?

    /// A run expected to succeed. `misreadings` (a success told as a failure, unless given) come
    /// before the scenario's own `forbidden` patterns.
    static func success(
        _ id: String, _ command: String, _ action: Action, entities: [String], misreadings: [String] = Misreading.asFailure, forbidden: [String],
        note: String, on backend: (any Backend)? = nil
    ) -> CorpusScenario {
        CorpusScenario(
            id: id, command: command, action: action, expected: .succeeded,
            labels: CorpusLabels(entities: entities, forbidden: misreadings + forbidden, reasons: [], note: note), backend: backend)
    }

    /// A run expected to fail. `misreadings` (a failure told as a success, unless given) come
    /// before the scenario's own `forbidden` patterns.
    static func failure(
        _ id: String, _ command: String, _ action: Action, entities: [String], misreadings: [String] = Misreading.asSuccess, forbidden: [String],
        reasons: [String], note: String, on backend: (any Backend)? = nil
    ) -> CorpusScenario {
        CorpusScenario(
            id: id, command: command, action: action, expected: .failed,
            labels: CorpusLabels(entities: entities, forbidden: misreadings + forbidden, reasons: reasons, note: note), backend: backend)
    }
}

/// Patterns many scenarios forbid.
enum Misreading {
    /// A failed outcome told as a success.
    static let asSuccess = [#"(?<!not )(?<!never )\bsucceeded\b"#, #"\bsuccessful(ly)?\b"#]
    /// A successful outcome told as a failure.
    static let asFailure = [#"\bfail(ed|s|ure)?\b"#, #"\bunable to\b"#, #"\b(could|can) ?not\b"#, #"\b(couldn|can)'t\b"#]
}

extension OutcomeCorpusRecorder {
    /// Runs the scenarios in order (later ones see what earlier ones changed) and records each outcome.
    static func record(_ kind: String, _ scenarios: [CorpusScenario], on backend: any Backend) async throws -> [CorpusEntry] {
        var entries: [CorpusEntry] = []
        for scenario in scenarios {
            let outcome = try await attempt(scenario.action, on: scenario.backend ?? backend, executionID: scenario.id)
            #expect(outcome.status == scenario.expected, "\(scenario.id): \(outcome.headline)")
            entries.append(CorpusEntry(id: scenario.id, backend: kind, command: scenario.command, outcome: outcome, labels: scenario.labels))
        }
        return entries
    }

    /// What the engine posts for one call: the backend's outcome, or its `BackendError` as a failed
    /// outcome with the error's message as the headline (as `Engine.attempt` does).
    static func attempt(_ action: Action, on backend: any Backend, executionID: String) async throws -> Outcome {
        do {
            return try await backend.execute(action, context: ProgressMessages().context(executionID))
        } catch let error as BackendError {
            return Outcome(status: .failed, headline: error.message)
        }
    }

    // MARK: Writing

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `CHATOPS_RECORD_CORPUS`: a path (relative to the package unless absolute), or `1` for the default.
    static var outputURL: URL {
        let configured = ProcessInfo.processInfo.environment["CHATOPS_RECORD_CORPUS"] ?? ""
        let path = ["", "1", "true", "yes"].contains(configured.lowercased()) ? "Tests/Corpus/outcomes.json" : configured
        return path.hasPrefix("/") ? URL(fileURLWithPath: path) : packageRoot.appendingPathComponent(path)
    }

    static func write(_ entries: [CorpusEntry], to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // A Prometheus series may hold NaN (a ratio over no traffic), which JSON has no number for.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = try encoder.encode(entries.sorted { $0.id < $1.id })
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }

    // MARK: Checking the labels against what was recorded

    /// Everything an outcome says, lowercased.
    static func text(of outcome: Outcome) -> String {
        var parts = [outcome.headline]
        parts += outcome.facts.map { "\($0.name): \($0.value)" }
        parts += outcome.table.map { $0.joined(separator: " ") }
        parts += outcome.series.map { "\($0.name) \($0.unit)" }
        parts.append(outcome.log ?? "")
        return parts.joined(separator: "\n").lowercased()
    }

    /// Labels that do not fit the outcome: a forbidden pattern that is not a regular expression or
    /// that the headline or the note matches (a faithful summary may quote the headline, and the note
    /// is one), a reason the outcome does not state, an entity it names nowhere (nor the command),
    /// reasons on a success.
    static func problems(in entry: CorpusEntry) -> [String] {
        var problems: [String] = []
        let said = text(of: entry.outcome)
        let headline = entry.outcome.headline
        for pattern in entry.labels.forbidden {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else {
                problems.append("forbidden `\(pattern)` is not a regular expression")
                continue
            }
            if regex.firstMatch(in: headline, range: NSRange(headline.startIndex..., in: headline)) != nil {
                problems.append("forbidden `\(pattern)` matches the headline itself: \(headline)")
            }
            let note = entry.labels.note
            if regex.firstMatch(in: note, range: NSRange(note.startIndex..., in: note)) != nil {
                problems.append("forbidden `\(pattern)` matches the note, a faithful summary")
            }
        }
        for reason in entry.labels.reasons where !said.contains(reason) {
            problems.append("reason `\(reason)` is not stated in the outcome: \(headline)")
        }
        for entity in entry.labels.entities where !said.contains(entity.lowercased()) && !entry.command.lowercased().contains(entity.lowercased()) {
            problems.append("entity `\(entity)` appears neither in the outcome nor in the command")
        }
        if entry.outcome.status == .succeeded, !entry.labels.reasons.isEmpty {
            problems.append("a success has reasons")
        }
        if entry.labels.note.isEmpty { problems.append("no note") }
        return problems
    }
}

// MARK: The sandbox's store

/// The sandbox fleet kept in memory; like the SQLite store, each change is applied once per
/// execution id, and a change that throws leaves the state as it was.
actor InMemorySandboxState: ExactlyOnceState {
    private var states: [String: Data] = [:]
    private var results: [String: Data] = [:]

    func applyOnce(
        namespace: String, executionID: String, _ change: @Sendable @escaping (inout Data?) throws -> Data
    ) async throws -> Data {
        let key = "\(namespace)\u{0}\(executionID)"
        if let recorded = results[key] { return recorded }
        var state = states[namespace]
        let result = try change(&state)
        states[namespace] = state
        results[key] = result
        return result
    }

    func state(namespace: String) async throws -> Data? {
        states[namespace]
    }
}
