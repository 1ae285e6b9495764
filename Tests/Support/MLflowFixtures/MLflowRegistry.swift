import AsyncHTTPClient
import ChatOpsCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sets up what a team's MLflow would hold, through MLflow's own REST API: an experiment, runs with
/// metrics and parameters, a registered model with versions made from those runs, and aliases.
public struct MLflowRegistry: Sendable {
    public let url: String

    public init(url: String) {
        self.url = url
    }

    public static func fromEnvironment() throws -> MLflowRegistry {
        guard let url = ProcessInfo.processInfo.environment["CHATOPS_MLFLOW_URL"] else {
            throw FixtureError("CHATOPS_MLFLOW_URL is not set: run the tests with scripts/test, which starts MLflow")
        }
        return MLflowRegistry(url: url)
    }

    @discardableResult
    public func post(_ path: String, _ body: JSONValue) async throws -> JSONValue {
        var request = HTTPClientRequest(url: "\(url)/api/2.0/mlflow/\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try body.data()))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        guard response.status == .ok else { throw FixtureError("MLflow \(path): \(response.status.code) \(String(decoding: data, as: UTF8.self))") }
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// A run with metrics and parameters; returns its id.
    public func run(experiment: String, name: String, metrics: [String: Double], params: [String: String]) async throws -> String {
        let created = try await post(
            "runs/create", ["experiment_id": .string(experiment), "run_name": .string(name), "start_time": 1_700_000_000_000])
        let id = try require(created["run"]?["info"]?["run_id"]?.string)
        try await post(
            "runs/log-batch",
            [
                "run_id": .string(id),
                "metrics": .array(metrics.map { ["key": .string($0.key), "value": .number($0.value), "timestamp": 1_700_000_000_000, "step": 0] }),
                "params": .array(params.map { ["key": .string($0.key), "value": .string($0.value)] }),
            ])
        return id
    }

    /// A registered model `name` with one version per run (versions 1, 2, …), and the aliases given.
    public func model(_ name: String, runs: [String], aliases: [String: Int]) async throws {
        try await post("registered-models/create", ["name": .string(name)])
        for (index, run) in runs.enumerated() {
            try await post(
                "model-versions/create", ["name": .string(name), "source": .string("s3://models/\(name)/\(index + 1)"), "run_id": .string(run)])
        }
        for (alias, version) in aliases {
            try await post("registered-models/alias", ["name": .string(name), "alias": .string(alias), "version": .string("\(version)")])
        }
    }

    public func experiment() async throws -> String {
        let created = try await post("experiments/create", ["name": .string("chatops-\(UUID().uuidString.prefix(8))")])
        return try require(created["experiment_id"]?.string)
    }
}

/// A fixture could not be set up.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

func require<T>(_ value: T?) throws -> T {
    guard let value else { throw FixtureError("MLflow's answer lacks an expected field") }
    return value
}
