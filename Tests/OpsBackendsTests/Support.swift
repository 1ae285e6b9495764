import ChatOpsCore
import Foundation
import OpsBackends
import Synchronization

/// An action as a command file would produce it.
func action(_ backend: String, _ operation: String, _ parameters: [String: String]) -> Action {
    Action(backend: backend, operation: operation, parameters: parameters, invocation: Invocation(command: "test", arguments: [:]))
}

/// Collects progress messages.
final class ProgressMessages: Sendable {
    private let messages = Mutex<[String]>([])
    var all: [String] { messages.withLock { $0 } }

    func context(_ id: String = "exec-1") -> ExecutionContext {
        ExecutionContext(executionID: id, requester: Principal(platform: "test", userID: "alice")) { [self] message in
            messages.withLock { $0.append(message) }
        }
    }
}
