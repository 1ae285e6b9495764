import Foundation

/// One mistake in a configuration, command or prompt file, located for the person fixing it.
public struct ValidationIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `commands/deploy.yaml:12: …`, the form editors and CI logs link to.
    public var description: String {
        "\(file):\(line.map(String.init) ?? "1"): \(message)"
    }
}

/// A configuration that failed validation, with every issue found.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public var issues: [ValidationIssue]

    public init(issues: [ValidationIssue]) {
        self.issues = issues
    }

    public var description: String {
        (["\(issues.count) problem\(issues.count == 1 ? "" : "s") found:"] + issues.map(\.description)).joined(separator: "\n")
    }
}
