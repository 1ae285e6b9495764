import ChatOpsCore
import Foundation
import LLM
import Logging
import OpsBackends

/// A configuration that passed validation: the settings, the command registry and the prompts.
public struct LoadedConfiguration: Sendable {
    public var configuration: BotConfiguration
    public var registry: CommandRegistry
    public var prompts: [String: String]
    /// The folder of `chatops.yaml`; relative paths are resolved against it.
    public var baseDirectory: URL

    /// A path from the configuration, resolved against the configuration's folder.
    public func resolve(_ path: String) -> URL {
        ConfigurationLoader.resolve(path, against: baseDirectory)
    }
}

/// Reads and checks `chatops.yaml`, every command file and every prompt.
public enum ConfigurationLoader {
    /// Operations of the built-in sandbox and of every configured backend, for `validate`.
    static func backendOperations(_ configuration: BotConfiguration) -> [String: Set<String>] {
        configuration.backends.mapValues(\.operations).merging(["sandbox": SandboxBackend.supportedOperations]) { $1 }
    }

    /// - Parameters:
    ///   - path: the configuration file. A missing file means all defaults, with commands under `./commands`.
    ///   - environment: for `${VAR}` references.
    /// - Throws: `ValidationFailure` listing every problem with its file and line.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ValidationFailure) -> LoadedConfiguration {
        let configURL = URL(fileURLWithPath: path)
        let base = configURL.deletingLastPathComponent()
        var issues: [ValidationIssue] = []
        var configuration = BotConfiguration()
        // False when chatops.yaml exists but could not be decoded: its roles are then unknown, not empty.
        var configurationRead = true
        if let text = try? String(contentsOf: configURL, encoding: .utf8) {
            do {
                let expanded = try SecretExpander.parse(file: path, text: text, environment: environment)
                issues += expanded.document.unknownKeys(BotConfiguration.keySchema)
                issues += expanded.issues
                configuration = try expanded.document.decode(BotConfiguration.self)
                configuration.expandedSecrets = expanded.secrets
                issues += ConfigurationRules.issues(in: configuration, document: expanded.document)
            } catch {
                issues.append(error)
                configurationRead = false
            }
        } else if FileManager.default.fileExists(atPath: path) {
            issues.append(ValidationIssue(file: path, line: nil, message: "cannot read the file"))
        }
        let commandsURL = resolve(configuration.commands, against: base)
        let prompts = readPrompts(in: commandsURL.appendingPathComponent("prompts"))
        var files: [CommandFile] = []
        let validator = CommandFileValidator(
            knownRoles: configurationRead ? Set(configuration.roles.roles.keys) : nil, backendOperations: backendOperations(configuration),
            prompts: prompts)
        for url in commandFileURLs(in: commandsURL, issues: &issues) {
            let display = displayPath(url, base: base)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                issues.append(ValidationIssue(file: display, line: nil, message: "cannot read the file"))
                continue
            }
            do {
                let file = try CommandFile(file: display, text: text)
                issues += validator.issues(in: file)
                files.append(file)
            } catch {
                issues.append(error)
            }
        }
        var registry = try? CommandRegistry(specs: [])
        do {
            registry = try CommandRegistry(specs: files.map(\.spec))
        } catch {
            issues.append(ValidationIssue(file: displayPath(commandsURL, base: base), line: nil, message: error.message))
        }
        if let registry {
            issues += ScheduleValidator(
                configuration: configuration, registry: registry, file: path, configText: (try? String(contentsOf: configURL, encoding: .utf8)) ?? ""
            ).issues()
        }
        for (key, name) in [("summary_model", configuration.llm.summaryModel), ("intent_model", configuration.llm.intentModel)] {
            guard let name, configuration.llm.models[name] == nil else { continue }
            issues.append(
                ValidationIssue(
                    file: path, line: nil,
                    message: "llm.\(key) `\(name)` is not one of llm.models (\(configuration.llm.models.keys.sorted().joined(separator: ", ")))"))
        }
        for (name, backend) in configuration.backends.sorted(by: { $0.key < $1.key }) {
            issues += backend.problems(name: name, all: configuration.backends, base: base).map {
                ValidationIssue(file: path, line: nil, message: $0)
            }
            if backend.type == .eval, let judge = backend.judge, configuration.llm.models[judge] == nil {
                issues.append(
                    ValidationIssue(
                        file: path, line: nil,
                        message:
                            "backends.\(name).judge `\(judge)` is not one of llm.models (\(configuration.llm.models.keys.sorted().joined(separator: ", ")))"
                    ))
            }
        }
        if let intentPrompt = prompts[LLMIntentParser.promptPath] {
            do {
                _ = try TemplateRenderer.render(intentPrompt, values: ["commands": ""])
            } catch {
                issues.append(
                    ValidationIssue(file: "\(configuration.commands)/\(LLMIntentParser.promptPath)", line: error.line, message: error.message))
            }
        }
        guard issues.isEmpty, let registry else { throw ValidationFailure(issues: issues) }
        return LoadedConfiguration(configuration: configuration, registry: registry, prompts: prompts, baseDirectory: base)
    }

    /// Only where the store is, for tools that read it (`chatops audit verify`): secrets of other
    /// sections need not be set, and command files are not read.
    /// - Throws: `ValidationFailure` when the file cannot be parsed or the store section is wrong.
    public static func storeSection(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ValidationFailure) -> (section: BotConfiguration.StoreSection, base: URL) {
        let configURL = URL(fileURLWithPath: path)
        let base = configURL.deletingLastPathComponent()
        var store = BotConfiguration.StoreSection()
        if let text = try? String(contentsOf: configURL, encoding: .utf8) {
            do {
                // References left unresolved stay as written; only the store section is used.
                store = try SecretExpander.parse(file: path, text: text, environment: environment).document.decode(BotConfiguration.self).store
            } catch {
                throw ValidationFailure(issues: [error])
            }
        }
        return (store, base)
    }

    /// A path from the configuration, resolved against the configuration's folder.
    static func resolve(_ path: String, against base: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
    }

    private static func commandFileURLs(in folder: URL, issues: inout [ValidationIssue]) -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            issues.append(ValidationIssue(file: folder.path, line: nil, message: "the commands folder does not exist"))
            return []
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { folder.appendingPathComponent($0) }
    }

    private static func readPrompts(in folder: URL) -> [String: String] {
        var prompts: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return prompts }
        for case let relative as String in enumerator {
            let url = folder.appendingPathComponent(relative)
            if let text = try? String(contentsOf: url, encoding: .utf8) { prompts["prompts/\(relative)"] = text }
        }
        return prompts
    }

    private static func displayPath(_ url: URL, base: URL) -> String {
        let full = url.standardizedFileURL.path
        let prefix = base.standardizedFileURL.path + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
    }
}
