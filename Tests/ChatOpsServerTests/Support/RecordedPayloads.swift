import Foundation

/// Requests as platforms send them, recorded in `Tests/Fixtures/<platform>/`.
enum RecordedPayloads {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The body of `name`, byte for byte as recorded.
    static func body(_ platform: String, _ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(platform).appendingPathComponent(name), encoding: .utf8)
    }
}
