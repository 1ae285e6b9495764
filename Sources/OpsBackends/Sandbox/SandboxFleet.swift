import Foundation

/// The sandbox's simulated model fleet, stored as one document.
struct SandboxFleet: Codable, Sendable, Equatable {
    var deployments: [String: SandboxDeployment] = [:]

    static func key(model: String, environment: String) -> String { "\(model)@\(environment)" }
}

/// One simulated model deployment.
struct SandboxDeployment: Codable, Sendable, Equatable {
    var model: String
    var environment: String
    var version: String
    /// Earlier versions, newest last, for rollback.
    var history: [String]
    var replicas: Int
    var canaryVersion: String?
    var canaryPercent: Int?
    /// Increases by one with every change.
    var revision: Int
    var rollout: String
    var updatedBy: String
    var updatedAt: Date
}
