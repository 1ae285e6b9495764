import Foundation

/// What may happen to an invocation, given who asked.
public enum Decision: Sendable, Equatable {
    case denied(reason: String)
    case allowed
    case needsApproval(ApprovalPolicy)

    /// Decides whether `roles` may run `spec` with these arguments, and whether approval is needed first.
    /// - Parameters:
    ///   - spec: the command.
    ///   - invocation: its resolved arguments.
    ///   - roles: the roles of the person asking.
    public static func make(spec: CommandSpec, invocation: Invocation, roles: Set<String>) -> Decision {
        guard AccessRules.isAllowed(roles: roles, allow: spec.allow) else {
            let needed = spec.allow.joined(separator: " or ")
            return .denied(
                reason: "`\(spec.name)` needs the role \(needed); you have \(roles.isEmpty ? "no roles" : roles.sorted().joined(separator: ", ")).")
        }
        if let policy = spec.approval, policy.applies(to: invocation.arguments) {
            return .needsApproval(policy)
        }
        return .allowed
    }

    /// A short label for metrics and audit (`denied`, `allowed`, `needs_approval`).
    public var label: String {
        switch self {
        case .denied: return "denied"
        case .allowed: return "allowed"
        case .needsApproval: return "needs_approval"
        }
    }
}
