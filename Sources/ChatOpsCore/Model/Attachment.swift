/// A text file that goes with a reply, such as an eval's per-case report.
public struct Attachment: Codable, Sendable, Equatable {
    /// The largest attachment posted (1 MiB); a longer text is cut, and says so.
    public static let sizeLimit = 1 << 20
    /// The file name, such as `eval-0190-cases.jsonl`.
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The file within `sizeLimit`: cut after secrets are redacted, so a cut never splits one.
    public var limited: Attachment {
        guard text.utf8.count > Self.sizeLimit else { return self }
        let kept = String(decoding: text.utf8.prefix(Self.sizeLimit), as: UTF8.self)
        return Attachment(name: name, text: kept + "\n… cut at \(Self.sizeLimit) bytes of \(text.utf8.count)\n")
    }
}
