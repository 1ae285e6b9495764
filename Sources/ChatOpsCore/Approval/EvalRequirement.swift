import Foundation

/// What an approval requires besides votes, under `approval.requires` in a command file:
///
///     approval:
///       approvers: [ml-lead]
///       requires: {eval: {dataset: holdout, verdict: promote, max_age: 24h}}
public struct ApprovalRequirements: Codable, Sendable, Equatable {
    /// An evaluation of exactly the model version the command names (its `model` and `version` arguments).
    public var eval: EvalRequirement?

    enum CodingKeys: String, CodingKey, CaseIterable { case eval }

    public init(eval: EvalRequirement? = nil) { self.eval = eval }
}

/// The evaluation an approval needs: the newest eval of the command's model version on `dataset`,
/// with `verdict`, finished within `max_age`.
public struct EvalRequirement: Codable, Sendable, Equatable {
    /// The ways a version is written: `v12`, `V12`, `12` and `v012` are one version (as MLflow reads
    /// them); other labels only as they are.
    public static func versionForms(_ version: String) -> [String] {
        let digits = version.first.map { "vV".contains($0) } == true ? String(version.dropFirst()) : version
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ ("0"..."9").contains($0) }), let number = Int(digits) else { return [version] }
        return [version, String(number), "v\(number)"].reduce(into: []) { forms, form in if !forms.contains(form) { forms.append(form) } }
    }

    public var dataset: String
    public var verdict: String
    public var maxAge: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataset, verdict
        case maxAge = "max_age"
    }

    public init(dataset: String, verdict: String = "promote", maxAge: String = "24h") {
        self.dataset = dataset
        self.verdict = verdict
        self.maxAge = maxAge
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try container.decode(String.self, forKey: .dataset)
        verdict = try container.decodeIfPresent(String.self, forKey: .verdict) ?? "promote"
        maxAge = try container.decodeIfPresent(String.self, forKey: .maxAge) ?? "24h"
    }

    /// The age limit in seconds (a day when the text is not a duration; `validate` reports that).
    public var maxAgeSeconds: Int { DurationFormat.parse(maxAge) ?? 86_400 }

    /// The evidence the newest eval gives, and what is wrong with it (nil when it satisfies this).
    /// - Parameters:
    ///   - latest: the newest finished eval of the model version on the dataset, if any.
    public func check(model: String, version: String, latest: StoredEvalRun?, now: Date) -> EvalEvidence {
        // An alias (`champion`) is not what an eval through MLflow is kept under: the number it names is.
        let alias =
            Self.versionForms(version).count == 1
            ? " (an eval through MLflow is kept under the version number an alias names: request that number)" : ""
        let how = "type `eval \(model) \(version) --dataset \(dataset)` to run one\(alias)"
        guard let run = latest else {
            return EvalEvidence(run: nil, problem: "no eval of \(model) \(version) on \(dataset) yet: \(how)")
        }
        let age = now.timeIntervalSince(run.finishedAt)
        if age > TimeInterval(maxAgeSeconds) {
            return EvalEvidence(
                run: run,
                problem:
                    "the newest eval of \(model) \(version) on \(dataset) is \(DurationFormat.format(seconds: Int(age))) old, more than \(maxAge): \(how)"
            )
        }
        if run.verdict != verdict {
            return EvalEvidence(
                run: run,
                problem:
                    "the newest eval of \(model) \(version) on \(dataset) says \(run.verdict ?? "nothing"), not \(verdict) (\(run.reason ?? "")); a new version or a new eval is needed"
            )
        }
        return EvalEvidence(run: run, problem: nil)
    }
}

/// The evaluation an approval card shows: which run, what it said, and why it does not count (if it does not).
public struct EvalEvidence: Codable, Sendable, Equatable {
    public var runID: String?
    public var verdict: String?
    public var reason: String?
    public var finishedAt: Date?
    public var requestedBy: String?
    public var passRate: Double?
    /// The key change against the run's baseline.
    public var changes: String?
    /// Why the evidence does not satisfy the requirement; nil when it does.
    public var problem: String?

    public init(run: StoredEvalRun?, problem: String?) {
        runID = run?.id
        verdict = run?.verdict
        reason = run?.reason
        finishedAt = run?.finishedAt
        requestedBy = run?.requestedBy.name
        passRate = run?.passRate
        changes = run?.changes
        self.problem = problem
    }

    /// Whether the approval may be granted on it.
    public var satisfies: Bool { problem == nil }
}
