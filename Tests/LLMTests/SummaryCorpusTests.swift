import ChatOpsCore
import Foundation
import LLM
import Logging
import Testing

/// The labelled corpus of real backend outcomes, the rules that judge a summary by its labels, and the
/// measured misleading rate of the local model behind the guard.
@Suite("Summary corpus and misleading rate", .serialized)
struct SummaryCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpusURL = root.appendingPathComponent("Tests/Corpus/outcomes.json")

    static func corpus() throws -> SummaryCorpus { try SummaryCorpus(contentsOf: corpusURL) }

    /// The command's declaration as far as summaries need it: the repository's prompt for it, if any.
    static func spec(_ entry: SummaryCorpus.Entry) -> CommandSpec {
        let name = entry.invocation.command
        let prompt =
            FileManager.default.fileExists(atPath: root.appendingPathComponent("commands/prompts/\(name).md").path) ? "prompts/\(name).md" : nil
        return CommandSpec(name: name, summary: "", allow: ["*"], action: ActionSpec(backend: entry.backend, operation: name), summaryPrompt: prompt)
    }

    static func prompts() throws -> [String: String] {
        let folder = root.appendingPathComponent("commands/prompts")
        var prompts: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".md") {
            prompts["prompts/\(file)"] = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        }
        return prompts
    }

    @Test func theCorpusHoldsAtLeastSixtyLabelledOutcomesOfEveryBackend() throws {
        let corpus = try Self.corpus()
        #expect(corpus.entries.count >= 60)
        #expect(Set(corpus.entries.map(\.backend)).isSuperset(of: ["sandbox", "program", "http", "prometheus", "mlflow", "kubernetes"]))
        #expect(Set(corpus.entries.map(\.id)).count == corpus.entries.count, "ids are unique")
        for entry in corpus.entries {
            if entry.outcome.status == .failed { #expect(!entry.labels.reasons.isEmpty, "\(entry.id) names the reasons its data states") }
            #expect(!entry.labels.entities.isEmpty, "\(entry.id) names its entities")
            for pattern in entry.labels.forbidden {
                #expect((try? NSRegularExpression(pattern: pattern)) != nil, "\(entry.id): /\(pattern)/ compiles")
            }
        }
        let failures = corpus.entries.filter { $0.outcome.status == .failed }.count
        #expect(failures >= 15 && corpus.entries.count - failures >= 30, "successes and failures both: \(failures) failures")
    }

    @Test func theJudgeFindsWhatTheIssueSawPosted() throws {
        let scaled = SummaryCorpus.Entry(
            id: "scale", backend: "sandbox", command: "scale fraud 5",
            outcome: Outcome(status: .succeeded, headline: "Scaled fraud in staging from 2 to 5 replicas.", facts: [Fact("replicas", "5/5 ready")]),
            labels: .init(entities: ["fraud", "staging"], forbidden: ["scaled down"], reasons: [], note: ""))
        let failed = SummaryCorpus.Entry(
            id: "rollback", backend: "sandbox", command: "rollback fraud",
            outcome: Outcome(status: .failed, headline: "There is no sandbox deployment of fraud in staging. Deploy it first."),
            labels: .init(
                entities: ["fraud", "staging"], forbidden: ["rolled back"], reasons: ["no sandbox deployment", "deploy it first"], note: ""))
        let other = SummaryCorpus.Entry(
            id: "other", backend: "sandbox", command: "status churn", outcome: Outcome(status: .succeeded, headline: "churn v3 in prod"),
            labels: .init(entities: ["churn", "v3", "prod"], forbidden: [], reasons: [], note: ""))
        let judge = FaithfulnessJudge(corpus: SummaryCorpus(entries: [scaled, failed, other]))
        #expect(
            judge.problems(of: "Error: The command failed to execute. The data was scaled up from 2 to 5 replicas.", for: scaled).first?.hasPrefix(
                "polarity") == true)
        #expect(judge.problems(of: "fraud was scaled down to 5 replicas.", for: scaled) == ["forbidden: /scaled down/"])
        #expect(judge.problems(of: "churn now runs 5 replicas.", for: scaled) == ["entity: churn"])
        #expect(judge.problems(of: "fraud runs 7 replicas.", for: scaled) == ["number: 7"])
        #expect(
            judge.problems(of: "The rollback failed because the command is not supported by the ML team.", for: failed).first?.hasPrefix("reason")
                == true)
        #expect(judge.problems(of: "fraud was rolled back.", for: failed).contains("forbidden: /rolled back/"))
        #expect(judge.problems(of: "The rollback completed.", for: failed).first?.hasPrefix("polarity") == true)
        #expect(judge.problems(of: "The rollback failed because there is no sandbox deployment of fraud; deploy it first.", for: failed).isEmpty)
        #expect(judge.problems(of: "fraud scaled from 2 to 5 replicas without errors.", for: scaled).isEmpty)
    }

    /// Each entry's note says what a faithful summary may say: the judge must find nothing in it, and the
    /// guard must let most of them through (a guard that refuses every summary keeps no model text).
    @Test func theNotesAreFaithfulByTheirLabelsAndTheGuardPassesMostOfThem() throws {
        let corpus = try Self.corpus()
        let judge = FaithfulnessJudge(corpus: corpus)
        let summarizer = LLMSummarizer(model: RecordingModel(answering: ""), prompts: try Self.prompts(), logger: Logger(label: "test"))
        var refused: [String] = []
        for entry in corpus.entries {
            #expect(
                judge.problems(of: entry.labels.note, for: entry).isEmpty,
                "\(entry.id): \(entry.labels.note) \(judge.problems(of: entry.labels.note, for: entry))")
            let verdict = SummaryGuard().check(
                entry.labels.note, against: summarizer.evidence(for: entry.outcome, of: entry.invocation, spec: Self.spec(entry)))
            if verdict != .accepted { refused.append("\(entry.id) [\(verdict)]: \(entry.labels.note)") }
        }
        print(
            "the guard accepts \(corpus.entries.count - refused.count) of \(corpus.entries.count) faithful notes; refused:\n"
                + refused.joined(separator: "\n"))
        #expect(refused.count * 3 <= corpus.entries.count, "at least two in three faithful notes pass")
    }

    /// The measured rate: the local model over the whole corpus, with the repository's prompts. Prints
    /// the report `chatops measure-summaries` prints; fails when a posted summary misleads.
    @Test(.timeLimit(.minutes(15)))
    func theLocalModelPostsNoMisleadingSummary() async throws {
        let summarizer = LLMSummarizer(
            model: try LocalModel.make(timeout: 120), prompts: try Self.prompts(), timeout: .seconds(120), streamInterval: nil,
            logger: Logger(label: "test"))
        let measurement = await SummaryMeasurement.run(try Self.corpus(), with: summarizer, spec: Self.spec)
        print(measurement.report(model: "smollm2"))
        #expect(measurement.modelFailures == 0, "the local model answered every request")
        #expect(measurement.guarded.misleadingPosted == 0)
        #expect(measurement.guarded.posted > 0, "some of the model's summaries are posted: the guard does not refuse everything")
    }
}
