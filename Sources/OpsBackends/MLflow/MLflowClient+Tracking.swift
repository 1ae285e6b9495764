import ChatOpsCore
import Foundation
import NIOHTTP1

/// MLflow's tracking API (mlflow.org/docs/latest/api_reference/rest-api.html): experiments, runs,
/// their metrics, parameters and tags, and artifacts through the tracking server's artifact proxy
/// (`mlflow server` serves artifacts unless started with `--no-serve-artifacts`).
extension MLflowClient {
    /// A run as created: its id and where its artifacts go.
    public struct CreatedRun: Sendable, Equatable {
        public var id: String
        public var artifactURI: String
    }

    /// The id of the experiment `name`, created when there is none.
    public func experimentID(named name: String) async throws(BackendError) -> String {
        let absent: (ErrorAnswer) -> Bool = { $0.errorCode == "RESOURCE_DOES_NOT_EXIST" }
        if let found = try await call(
            .GET, "experiments/get-by-name", query: ["experiment_name": name], as: ExperimentAnswer.self, absentWhen: absent)
        {
            return found.experiment.experimentID
        }
        // Another replica may create it first: then it exists, and is read again.
        let created = try await call(
            .POST, "experiments/create", body: ["name": .string(name)], as: CreatedExperiment.self,
            absentWhen: { $0.errorCode == "RESOURCE_ALREADY_EXISTS" })
        if let created { return created.experimentID }
        return try await call(.GET, "experiments/get-by-name", query: ["experiment_name": name], as: ExperimentAnswer.self).experiment.experimentID
    }

    /// The runs of an experiment that have the tag `key` = `value` (at most 20), with their status.
    public func runs(
        in experimentID: String, taggedWith key: String, _ value: String
    ) async throws(BackendError) -> [(run: CreatedRun, status: String)] {
        let filter = "tags.`\(key)` = '\(value.replacingOccurrences(of: "'", with: ""))'"
        let answer = try await call(
            .POST, "runs/search", body: ["experiment_ids": [.string(experimentID)], "filter": .string(filter), "max_results": 20],
            as: SearchAnswer.self)
        return (answer.runs ?? []).map { (CreatedRun(id: $0.info.runID, artifactURI: $0.info.artifactURI), $0.info.status) }
    }

    public func createRun(in experimentID: String, name: String, startTime: Date, tags: [Tag]) async throws(BackendError) -> CreatedRun {
        let body: JSONValue = [
            "experiment_id": .string(experimentID), "run_name": .string(name), "start_time": .number(Self.milliseconds(startTime)),
            "tags": .array(tags.map { ["key": .string($0.key), "value": .string($0.value)] }),
        ]
        let info = try await call(.POST, "runs/create", body: body, as: SearchAnswer.Found.self).info
        return CreatedRun(id: info.runID, artifactURI: info.artifactURI)
    }

    /// Logs metrics (at step 0), parameters and tags, in batches within MLflow's limits (1,000
    /// items a request, of which at most 100 parameters and 100 tags).
    public func log(
        run id: String, metrics: [(String, Double)], params: [(String, String)], tags: [Tag] = [], at time: Date
    ) async throws(BackendError) {
        let timestamp = JSONValue.number(Self.milliseconds(time))
        var metrics = metrics[...]
        var params = params[...]
        var tags = tags[...]
        repeat {
            let metricBatch: [JSONValue] = metrics.prefix(800).map { metric in
                ["key": .string(metric.0), "value": .number(metric.1), "timestamp": timestamp, "step": 0]
            }
            let paramBatch: [JSONValue] = params.prefix(100).map { ["key": .string($0.0), "value": .string($0.1)] }
            let tagBatch: [JSONValue] = tags.prefix(100).map { ["key": .string($0.key), "value": .string($0.value)] }
            let body: JSONValue = ["run_id": .string(id), "metrics": .array(metricBatch), "params": .array(paramBatch), "tags": .array(tagBatch)]
            _ = try await call(.POST, "runs/log-batch", body: body, as: Empty.self)
            metrics = metrics.dropFirst(800)
            params = params.dropFirst(100)
            tags = tags.dropFirst(100)
        } while !metrics.isEmpty || !params.isEmpty || !tags.isEmpty
    }

    /// Ends a run: `FINISHED`, `FAILED` or `KILLED`.
    public func endRun(_ id: String, status: String, at time: Date) async throws(BackendError) {
        _ = try await call(
            .POST, "runs/update", body: ["run_id": .string(id), "status": .string(status), "end_time": .number(Self.milliseconds(time))],
            as: Empty.self)
    }

    /// Stores a file among a run's artifacts, through the tracking server's artifact proxy.
    /// - Throws: when the run's artifacts are not kept behind the proxy (`mlflow-artifacts:`).
    public func uploadArtifact(_ data: Data, named name: String, contentType: String, to run: CreatedRun) async throws(BackendError) {
        let scheme = "mlflow-artifacts:"
        guard run.artifactURI.hasPrefix(scheme) else {
            throw BackendError(
                "MLflow keeps this run's artifacts at `\(run.artifactURI)`, which only its server's artifact proxy (`mlflow-artifacts:`) lets the bot write to"
            )
        }
        // `mlflow-artifacts:/1/abc/artifacts`, or with the server named: `mlflow-artifacts://host:5000/1/abc/artifacts`.
        var path = Substring(run.artifactURI.dropFirst(scheme.count))
        if path.hasPrefix("//") { path = path.dropFirst(2).drop { $0 != "/" } }
        path = path.trimmingPrefix("/")
        let url = try endpoint.url("/api/2.0/mlflow-artifacts/artifacts/\(path)/\(name)", query: [])
        let (status, answer) = try await endpoint.send(.PUT, url, body: (data, contentType))
        guard status == 200 else {
            throw BackendError("MLflow refused the artifact `\(name)` (HTTP \(status)): \(String(decoding: answer.prefix(200), as: UTF8.self))")
        }
    }

    static func milliseconds(_ date: Date) -> Double { (date.timeIntervalSince1970 * 1_000).rounded() }

    struct ExperimentAnswer: Decodable {
        struct Experiment: Decodable {
            var experimentID: String
            enum CodingKeys: String, CodingKey { case experimentID = "experiment_id" }
        }
        var experiment: Experiment
    }
    struct CreatedExperiment: Decodable {
        var experimentID: String
        enum CodingKeys: String, CodingKey { case experimentID = "experiment_id" }
    }
    struct SearchAnswer: Decodable {
        struct Found: Decodable {
            struct Info: Decodable {
                var runID: String
                var artifactURI: String
                var status: String
                enum CodingKeys: String, CodingKey { case status, runID = "run_id", artifactURI = "artifact_uri" }
            }
            var info: Info
            enum CodingKeys: String, CodingKey { case info, run }
            init(from decoder: any Decoder) throws {
                // `runs/create` wraps the run in `run`; `runs/search` lists them bare.
                let container = try decoder.container(keyedBy: CodingKeys.self)
                if let wrapped = try container.decodeIfPresent(Found.self, forKey: .run) {
                    info = wrapped.info
                } else {
                    info = try container.decode(Info.self, forKey: .info)
                }
            }
        }
        var runs: [Found]?
    }
}
