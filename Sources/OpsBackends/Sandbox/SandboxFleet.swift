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

/// Deterministic pseudo-random numbers, so the same deployment always shows the same simulated metrics.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed text: String) {
        var hash: UInt64 = 1_469_598_103_934_665_603
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &self)
    }
}
