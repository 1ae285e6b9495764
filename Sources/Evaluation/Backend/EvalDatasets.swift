import Foundation
import OpsBackends

/// The datasets folder: `holdout` is `holdout.jsonl` there. Names are checked before any path is
/// made, so a dataset name cannot reach outside the folder.
struct EvalDatasets {
    let folder: URL

    func cases(named name: String) throws(BackendError) -> (cases: [EvalCase], problems: [DatasetReader.Problem]) {
        guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$"#, options: .regularExpression) != nil else {
            throw BackendError("`\(name)` is not a dataset name (letters, digits, `-` and `_`)")
        }
        let file = folder.appendingPathComponent("\(name).jsonl")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".jsonl") }
                .map { String($0.dropLast(6)) }.sorted()
            throw BackendError("no dataset `\(name)` (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        return DatasetReader.read(text)
    }
}
