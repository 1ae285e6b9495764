import Foundation
import SlackAPIDouble
import Yams

/// One object of a rendered manifest (or any YAML map), as Yams reads it.
typealias ManifestObject = [String: Any]

/// Why a deploy test could not run: a tool is missing or failed.
struct DeployToolFailure: Error, CustomStringConvertible {
    let description: String
}

/// The command-line tools the deploy tests run: `kubectl kustomize` and `kubernetes-validate`.
enum DeployTools {
    /// How a tool exited and what it printed.
    struct Run: Sendable {
        var status: Int32
        var output: String
        var errors: String
    }

    /// kubectl, from PATH.
    static func kubectl() throws -> String {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        guard let path = folders.map({ "\($0)/kubectl" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw DeployToolFailure(description: "kubectl is not on PATH: the deploy tests render deploy/kubernetes with `kubectl kustomize`")
        }
        return path
    }

    /// kubernetes-validate, which scripts/test installs and names in `CHATOPS_KUBERNETES_VALIDATE`.
    static func kubernetesValidate() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["CHATOPS_KUBERNETES_VALIDATE"], FileManager.default.isExecutableFile(atPath: path)
        else {
            throw DeployToolFailure(description: "CHATOPS_KUBERNETES_VALIDATE does not name the kubernetes-validate executable; run scripts/test")
        }
        return path
    }

    /// Runs a tool to its end, off the concurrency pool, with `input` on its standard input.
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> Run {
        try await ProcessLauncher.offThePool { () throws -> Run in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let stdin = Pipe()
            let stdout = Pipe()
            let stderr = Pipe()
            if input == nil {
                process.standardInput = FileHandle.nullDevice
            } else {
                process.standardInput = stdin
            }
            process.standardOutput = stdout
            process.standardError = stderr
            try ProcessLauncher.run(process)
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try stdin.fileHandleForWriting.close()
            let output = stdout.fileHandleForReading.readDataToEndOfFile()
            let errors = stderr.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Run(
                status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self))
        }
    }
}

/// The objects `kubectl kustomize` renders from one kustomization, and the bot's parts of them.
struct RenderedManifests {
    /// The rendered text, as `kubectl apply -k` would send it.
    let text: String
    let objects: [ManifestObject]

    /// Renders the kustomization in `folder`.
    static func render(_ folder: URL) async throws -> RenderedManifests {
        let run = try await DeployTools.run(try DeployTools.kubectl(), ["kustomize", folder.path])
        guard run.status == 0 else { throw DeployToolFailure(description: "kubectl kustomize \(folder.path) failed: \(run.errors)") }
        let objects = try Yams.load_all(yaml: run.output).compactMap { $0 as? ManifestObject }
        return RenderedManifests(text: run.output, objects: objects)
    }

    /// Every object of a kind.
    func all(_ kind: String) -> [ManifestObject] {
        objects.filter { $0.string("kind") == kind }
    }

    /// The one object of a kind.
    func one(_ kind: String) throws -> ManifestObject {
        let found = all(kind)
        guard found.count == 1 else { throw DeployToolFailure(description: "expected one \(kind), rendered \(found.count)") }
        return found[0]
    }

    func deployment() throws -> ManifestObject { try one("Deployment") }

    func podSpec() throws -> ManifestObject { try deployment().object("spec.template.spec") }

    func podLabels() throws -> ManifestObject { try deployment().object("spec.template.metadata.labels") }

    /// The bot's container.
    func container() throws -> ManifestObject {
        guard let container = try podSpec().objects("containers").first(where: { $0.string("name") == "chatops" }) else {
            throw DeployToolFailure(description: "the Deployment has no container named chatops")
        }
        return container
    }

    /// The data of the ConfigMap the bot's container sees at `path`.
    func configMap(mountedAt path: String) throws -> [String: String] {
        let mount = try container().objects("volumeMounts").first { $0.string("mountPath") == path }
        let volume = try podSpec().objects("volumes").first { $0.string("name") == mount?.string("name") }
        guard let name = volume?.string("configMap.name"), let configMap = all("ConfigMap").first(where: { $0.string("metadata.name") == name })
        else { throw DeployToolFailure(description: "no rendered ConfigMap is mounted at \(path)") }
        return configMap["data"] as? [String: String] ?? [:]
    }

    /// The bot's chatops.yaml: the file `--config` names, in the ConfigMap mounted at its folder.
    func configuration() throws -> String {
        let arguments = try container()["args"] as? [String] ?? []
        guard let flag = arguments.firstIndex(of: "--config"), flag + 1 < arguments.count else {
            throw DeployToolFailure(description: "the container's arguments name no --config: \(arguments)")
        }
        let file = URL(fileURLWithPath: arguments[flag + 1])
        guard let text = try configMap(mountedAt: file.deletingLastPathComponent().path)[file.lastPathComponent] else {
            throw DeployToolFailure(description: "the ConfigMap mounted for --config holds no \(file.lastPathComponent)")
        }
        return text
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The value at a dotted path of map keys, such as `spec.template.spec`.
    subscript(path path: String) -> Any? {
        path.split(separator: ".").reduce(self as Any?) { ($0 as? ManifestObject)?[String($1)] }
    }

    /// The map at a path, or an empty one.
    func object(_ path: String) -> ManifestObject { self[path: path] as? ManifestObject ?? [:] }

    /// The list of maps at a path, or an empty one.
    func objects(_ path: String) -> [ManifestObject] { self[path: path] as? [ManifestObject] ?? [] }

    func string(_ path: String) -> String? { self[path: path] as? String }

    func int(_ path: String) -> Int? { self[path: path] as? Int }

    func bool(_ path: String) -> Bool? { self[path: path] as? Bool }
}
