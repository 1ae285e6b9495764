import AsyncHTTPClient
import ChatOpsCore
import Foundation
import NIOCore
import NIOHTTP1

/// The parts of MLflow's REST API 2.0 (mlflow.org/docs/latest/api_reference/rest-api.html) the bot
/// uses: the model registry (versions, aliases, registered-model tags) and runs. Errors come back as
/// `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": …}` and are reported with MLflow's words.
public struct MLflowClient: Sendable {
    /// A registered model version.
    public struct ModelVersion: Decodable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var source: String?
        public var runID: String?
        public var status: String?
        public var aliases: [String]?
        public var creationTimestamp: Int64?
        public var tags: [Tag]?

        enum CodingKeys: String, CodingKey {
            case name, version, source, status, aliases, tags
            case runID = "run_id", creationTimestamp = "creation_timestamp"
        }
    }

    /// A key and its value, as MLflow keeps tags.
    public struct Tag: Codable, Sendable, Equatable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// A run's metrics and parameters.
    public struct Run: Sendable, Equatable {
        public var id: String
        public var name: String?
        public var status: String?
        public var metrics: [String: Double]
        public var params: [String: String]
    }

    let endpoint: APIEndpoint

    public init(baseURL: String, headers: [String: String] = [:], timeout: Duration = .seconds(15), http: HTTPClient = .backends) {
        endpoint = APIEndpoint(service: "MLflow", baseURL: baseURL, headers: headers, timeout: timeout, http: http)
    }

    public func version(_ model: String, _ version: String) async throws(BackendError) -> ModelVersion {
        try await call(.GET, "model-versions/get", query: ["name": model, "version": version], as: VersionAnswer.self).modelVersion
    }

    public func version(_ model: String, alias: String) async throws(BackendError) -> ModelVersion {
        try await call(.GET, "registered-models/alias", query: ["name": model, "alias": alias], as: VersionAnswer.self).modelVersion
    }

    /// The version an alias points at, or nil when the alias is not set. Any other refusal
    /// (an unknown model, no permission, a server error) is an error.
    public func version(_ model: String, aliasIfSet alias: String) async throws(BackendError) -> ModelVersion? {
        // MLflow answers an unset alias with 400 INVALID_PARAMETER_VALUE "Registered model alias … not found."
        try await call(.GET, "registered-models/alias", query: ["name": model, "alias": alias], as: VersionAnswer.self) { problem in
            problem.errorCode == "INVALID_PARAMETER_VALUE" && problem.message?.contains("alias \(alias) not found") == true
        }?.modelVersion
    }

    /// A version by number (`12`, `v12`) or by alias (`champion`).
    public func version(_ model: String, reference: String) async throws(BackendError) -> ModelVersion {
        if let number = Int(reference.hasPrefix("v") ? String(reference.dropFirst()) : reference) {
            return try await version(model, String(number))
        }
        return try await version(model, alias: reference)
    }

    /// A version by number or alias (the newest version when `reference` is nil), or nil when MLflow
    /// has no registered model of that name.
    public func versionIfRegistered(_ model: String, reference: String?) async throws(BackendError) -> ModelVersion? {
        let registered = try await call(
            .GET, "registered-models/get", query: ["name": model], as: ModelAnswer.self, absentWhen: { $0.errorCode == "RESOURCE_DOES_NOT_EXIST" })
        guard registered != nil else { return nil }
        if let reference { return try await version(model, reference: reference) }
        guard let newest = try await versions(model).first else { throw BackendError("MLflow's registered model `\(model)` has no version") }
        return try await version(model, newest.version)
    }

    /// Every version of a model, newest first.
    public func versions(_ model: String) async throws(BackendError) -> [ModelVersion] {
        let answer = try await call(
            .GET, "model-versions/search", query: ["filter": "name='\(model.replacingOccurrences(of: "'", with: ""))'", "max_results": "200"],
            as: VersionsAnswer.self)
        // Search results carry no aliases in every MLflow version; the registered model lists them all.
        let aliases = try await call(.GET, "registered-models/get", query: ["name": model], as: ModelAnswer.self).registeredModel.aliases ?? []
        return (answer.modelVersions ?? []).map { version in
            var version = version
            version.aliases = aliases.filter { $0.version == version.version }.map(\.alias).sorted()
            return version
        }.sorted { (Int($0.version) ?? 0) > (Int($1.version) ?? 0) }
    }

    public func setAlias(_ model: String, alias: String, version: String) async throws(BackendError) {
        _ = try await call(
            .POST, "registered-models/alias", body: ["name": .string(model), "alias": .string(alias), "version": .string(version)], as: Empty.self)
    }

    /// A tag of the registered model, or nil.
    public func modelTag(_ model: String, key: String) async throws(BackendError) -> String? {
        let answer = try await call(.GET, "registered-models/get", query: ["name": model], as: ModelAnswer.self)
        return answer.registeredModel.tags?.first { $0.key == key }?.value
    }

    public func setModelTag(_ model: String, key: String, value: String) async throws(BackendError) {
        _ = try await call(
            .POST, "registered-models/set-tag", body: ["name": .string(model), "key": .string(key), "value": .string(value)], as: Empty.self)
    }

    public func run(_ id: String) async throws(BackendError) -> Run {
        let answer = try await call(.GET, "runs/get", query: ["run_id": id], as: RunAnswer.self)
        let data = answer.run.data
        return Run(
            id: answer.run.info.runID, name: answer.run.info.runName, status: answer.run.info.status,
            metrics: Dictionary((data.metrics ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
            params: Dictionary((data.params ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }))
    }

    func call<T: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [String: String] = [:], body: JSONValue? = nil, as type: T.Type
    ) async throws(BackendError) -> T {
        guard let answer = try await call(method, path, query: query, body: body, as: type, absentWhen: { _ in false }) else {
            throw BackendError("MLflow gave no answer to `\(path)`")
        }
        return answer
    }

    /// - Parameter absentWhen: refusals that mean "there is none" (nil) rather than an error.
    func call<T: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [String: String] = [:], body: JSONValue? = nil, as type: T.Type,
        absentWhen: (ErrorAnswer) -> Bool
    ) async throws(BackendError) -> T? {
        let url = try endpoint.url("/api/2.0/mlflow/\(path)", query: query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let (status, data) = try await endpoint.send(method, url, json: body)
        guard status == 200 else {
            let problem = try? JSONDecoder().decode(ErrorAnswer.self, from: data)
            if let problem, absentWhen(problem) { return nil }
            throw BackendError(
                "MLflow refused `\(path)` (\(problem?.errorCode ?? "HTTP \(status)")): \(problem?.message ?? String(decoding: data.prefix(200), as: UTF8.self))"
            )
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw BackendError("MLflow's answer to `\(path)` is not what its API describes: \(error)")
        }
    }

    struct Empty: Decodable {}
    struct VersionAnswer: Decodable {
        var modelVersion: ModelVersion
        enum CodingKeys: String, CodingKey { case modelVersion = "model_version" }
    }
    struct VersionsAnswer: Decodable {
        var modelVersions: [ModelVersion]?
        enum CodingKeys: String, CodingKey { case modelVersions = "model_versions" }
    }
    struct ModelAnswer: Decodable {
        struct Model: Decodable {
            struct Alias: Decodable {
                var alias: String
                var version: String
            }
            var tags: [Tag]?
            var aliases: [Alias]?
        }
        var registeredModel: Model
        enum CodingKeys: String, CodingKey { case registeredModel = "registered_model" }
    }
    struct RunAnswer: Decodable {
        struct RunBody: Decodable {
            struct Info: Decodable {
                var runID: String
                var runName: String?
                var status: String?
                enum CodingKeys: String, CodingKey { case status, runID = "run_id", runName = "run_name" }
            }
            struct DataBody: Decodable {
                struct Metric: Decodable {
                    var key: String
                    var value: Double
                }
                struct Param: Decodable {
                    var key: String
                    var value: String
                }
                var metrics: [Metric]?
                var params: [Param]?
            }
            var info: Info
            var data: DataBody
        }
        var run: RunBody
    }
    struct ErrorAnswer: Decodable {
        var errorCode: String?
        var message: String?
        enum CodingKeys: String, CodingKey { case message, errorCode = "error_code" }
    }
}
