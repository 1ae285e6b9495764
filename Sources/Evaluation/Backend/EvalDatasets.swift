import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OpsBackends
import OutboundHTTP

/// Where datasets are: `holdout` is `holdout.jsonl` in the folder, or under the URL. Names are
/// checked before any path or URL is made, so a dataset name cannot reach elsewhere.
public struct EvalDatasets {
    /// A folder of `.jsonl` files, or an http(s) URL they are under (`https://data.internal/evals/`).
    public enum Source: Sendable, Equatable {
        case folder(URL)
        case remote(String)

        /// The source for a URL, or nil when `text` is not an http(s) URL.
        public static func url(_ text: String) -> Source? {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else { return nil }
            return .remote(text.hasSuffix("/") ? String(text.dropLast()) : text)
        }
    }

    /// The largest dataset read (32 MiB).
    static let sizeLimit = 32 << 20
    let source: Source
    let timeout: Duration

    public init(source: Source, timeout: Duration = .seconds(30)) {
        self.source = source
        self.timeout = timeout
    }

    public func cases(named name: String) async throws(BackendError) -> (cases: [EvalCase], problems: [DatasetReader.Problem]) {
        guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$"#, options: .regularExpression) != nil else {
            throw BackendError("`\(name)` is not a dataset name (letters, digits, `-` and `_`)")
        }
        switch source {
        case .folder(let folder):
            guard let text = try? String(contentsOf: folder.appendingPathComponent("\(name).jsonl"), encoding: .utf8) else {
                let known = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".jsonl") }
                    .map { String($0.dropLast(6)) }.sorted()
                throw BackendError("no dataset `\(name)` (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            }
            return DatasetReader.read(text)
        case .remote(let base):
            return DatasetReader.read(try await download("\(base)/\(name).jsonl", name: name))
        }
    }

    private func download(_ url: String, name: String) async throws(BackendError) -> String {
        let answer: HTTPExchange
        do {
            answer = try await HTTPClient.shared.exchange(HTTPClientRequest(url: url), timeout: timeout, limit: .fail(bytes: Self.sizeLimit))
        } catch {
            throw BackendError("the dataset `\(name)` could not be read from \(url): \(error)", unavailable: true)
        }
        guard answer.status == .ok else { throw BackendError("no dataset `\(name)` at \(url) (HTTP \(answer.status.code))") }
        guard let text = String(validating: answer.body.readableBytesView, as: UTF8.self) else {
            throw BackendError("the dataset `\(name)` at \(url) is not UTF-8 text")
        }
        return text
    }
}
