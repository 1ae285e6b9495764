import ChatOpsServer
import Foundation
import Testing
import Yams

/// What deploy/ ships renders with `kubectl kustomize`, passes the Kubernetes schemas, starts as
/// configured, and keeps what the README promises: replicas and drains, secrets only by reference, a
/// locked-down pod, probes and metrics, and the grants the backends need and no more.
@Suite("Deploy manifests")
struct DeployManifestTests {
    /// A kustomization operators apply with `kubectl apply -k`.
    enum Variant: String, CaseIterable, Sendable {
        case replicated = "deploy/kubernetes/base"
        case sqliteSingle = "deploy/kubernetes/overlays/sqlite-single"

        func render() async throws -> RenderedManifests {
            try await RenderedManifests.render(DeployManifestTests.root.appendingPathComponent(rawValue))
        }
    }

    static let root = ShippedConfigurationTests.root
    /// The Kubernetes version whose schemas (shipped inside kubernetes-validate) the objects must pass.
    static let kubernetesVersion = "1.32.0"
    /// API groups of custom resources: kubernetes-validate holds no schema for them.
    static let customResourceGroups: Set<String> = ["monitoring.coreos.com"]

    @Test(arguments: Variant.allCases)
    func passesTheKubernetesSchemas(_ variant: Variant) async throws {
        try await Self.expectValid(try await variant.render())
    }

    @Test(arguments: Variant.allCases)
    func theConfigurationValidatesWithTheCommandsThePodSees(_ variant: Variant) async throws {
        let manifests = try await variant.render()
        let configuration = try manifests.configuration()
        let folder = try #require(try Self.settings(configuration).string("commands"))
        for (mounted, repository) in [(folder, "commands"), (folder + "/prompts", "commands/prompts")] {
            #expect(try manifests.configMap(mountedAt: mounted) == Self.repositoryFiles(in: repository), "list new files in commands/Kustomization")
        }
        _ = try ShippedConfigurationTests.validate(configuration, name: "chatops.yaml", commands: try Self.writeCommands(of: manifests, at: folder))
    }

    @Test(arguments: Variant.allCases)
    func secretsAreOnlyReferencedAndTheReadmeCreatesThem(_ variant: Variant) async throws {
        let manifests = try await variant.render()
        #expect(manifests.all("Secret").isEmpty, "no Secret is shipped: its data would be in the repository")
        let references = Self.secretReferences(of: try manifests.container())
        let variables = ShippedConfigurationTests.environment(for: try manifests.configuration()).keys
        #expect(Set(references.keys) == Set(variables), "every ${VAR} of chatops.yaml, and nothing else, comes from a secretKeyRef")
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        for reference in references.values {
            #expect(readme.contains("create secret generic \(reference.secret)"), "the README creates \(reference.secret)")
            #expect(readme.contains("--from-literal=\(reference.key)="), "the README sets \(reference.key)")
        }
    }

    @Test(arguments: Variant.allCases)
    func thePodRunsAsTheImageUserWithoutPrivileges(_ variant: Variant) async throws {
        let manifests = try await variant.render()
        let pod = try manifests.podSpec()
        let container = try manifests.container()
        let image = try Self.imageUser()
        #expect(pod.bool("securityContext.runAsNonRoot") == true)
        #expect(pod.int("securityContext.runAsUser") == image.user, "the Dockerfile's USER")
        #expect(pod.int("securityContext.runAsGroup") == image.group)
        #expect(pod.int("securityContext.fsGroup") == image.group, "volumes are writable by the image's group")
        #expect(pod.string("securityContext.seccompProfile.type") == "RuntimeDefault")
        #expect(container.bool("securityContext.readOnlyRootFilesystem") == true)
        #expect(container.bool("securityContext.allowPrivilegeEscalation") == false)
        #expect((container[path: "securityContext.capabilities.drop"] as? [String])?.contains("ALL") == true)
        #expect(container.objects("volumeMounts").contains { $0.string("mountPath") == "/tmp" }, "/tmp is writable")
        // The service account's token is mounted only into the bot's pod, and only for a backend that uses it.
        let account = try manifests.one("ServiceAccount")
        let usesToken = Self.callsTheClusterAsThePod(try Self.settings(manifests.configuration()))
        #expect(account.bool("automountServiceAccountToken") == false)
        #expect(pod.string("serviceAccountName") == account.string("metadata.name"))
        #expect(pod.bool("automountServiceAccountToken") == usesToken)
    }

    @Test(arguments: Variant.allCases)
    func probesResourcesAndScrapeAnnotationsPointAtTheServer(_ variant: Variant) async throws {
        let manifests = try await variant.render()
        let container = try manifests.container()
        let port = try #require(try Self.settings(manifests.configuration()).int("server.port"))
        let http = container.objects("ports").first { $0.string("name") == "http" }
        #expect(http?.int("containerPort") == port, "the port named http is the one chatops.yaml listens on")
        for (probe, path) in [("readinessProbe", "/readyz"), ("livenessProbe", "/healthz"), ("startupProbe", "/healthz")] {
            #expect(container.string("\(probe).httpGet.path") == path)
            #expect(container.string("\(probe).httpGet.port") == "http")
        }
        for resource in ["requests.cpu", "requests.memory", "limits.memory"] {
            #expect(container.string("resources.\(resource)") != nil, "resources.\(resource) is set")
        }
        let annotations = try manifests.deployment().object("spec.template.metadata.annotations")
        #expect(annotations["prometheus.io/scrape"] as? String == "true")
        #expect(annotations["prometheus.io/port"] as? String == String(port))
        #expect(annotations["prometheus.io/path"] as? String == "/metrics")
        let service = try manifests.one("Service")
        let labels = try manifests.podLabels()
        #expect(Self.selects(service.object("spec.selector"), labels))
        #expect(service.objects("spec.ports").contains { $0.int("port") == 80 && $0.string("targetPort") == "http" })
    }

    @Test func theReplicatedVariantReplacesOnePodAtATimeAndKeepsTwoThroughADrain() async throws {
        let manifests = try await Variant.replicated.render()
        let deployment = try manifests.deployment()
        #expect(deployment.int("spec.replicas") == 3)
        #expect(deployment.string("spec.strategy.type") == "RollingUpdate")
        #expect(deployment.int("spec.strategy.rollingUpdate.maxUnavailable") == 0)
        #expect(deployment.int("spec.strategy.rollingUpdate.maxSurge") == 1)
        let labels = try manifests.podLabels()
        let pod = try manifests.podSpec()
        let spread = pod.objects("topologySpreadConstraints").contains {
            $0.string("topologyKey") == "kubernetes.io/hostname" && Self.selects($0.object("labelSelector.matchLabels"), labels)
        }
        #expect(spread || !pod.object("affinity.podAntiAffinity").isEmpty, "replicas are spread over nodes")
        let evictable = try Self.podsADrainMayEvict(manifests)
        #expect(evictable >= 1 && 3 - evictable >= 2, "a drain evicts one pod at a time and keeps two")
        #expect(try Self.settings(manifests.configuration()).string("store.postgres.url") != nil, "the replicas share PostgreSQL")
    }

    @Test func theSQLiteVariantRunsOnePodOnItsVolumeThatADrainCanEvict() async throws {
        let manifests = try await Variant.sqliteSingle.render()
        let deployment = try manifests.deployment()
        #expect(deployment.int("spec.replicas") == 1)
        #expect(deployment.string("spec.strategy.type") == "Recreate", "SQLite is one process: the old pod stops first")
        #expect(deployment.object("spec.strategy.rollingUpdate").isEmpty)
        #expect(try Self.podsADrainMayEvict(manifests) == 1, "a budget that keeps the one pod would block every drain")
        let database = try #require(try Self.settings(manifests.configuration()).string("store.sqlite"))
        let folder = URL(fileURLWithPath: database).deletingLastPathComponent().path
        let mount = try manifests.container().objects("volumeMounts").first { $0.string("mountPath") == folder }
        let volume = try manifests.podSpec().objects("volumes").first { $0.string("name") == mount?.string("name") }
        let claim = try #require(volume?.string("persistentVolumeClaim.claimName"), "the database's folder is a PersistentVolumeClaim")
        #expect(manifests.all("PersistentVolumeClaim").contains { $0.string("metadata.name") == claim })
    }

    @Test(arguments: Variant.allCases)
    func theRolesGrantWhatTheReadmeListsOnlyInTheModelsNamespaces(_ variant: Variant) async throws {
        let manifests = try await variant.render()
        let listed = try Self.readmeGrants()
        #expect(Self.grants(in: manifests) == listed, "the roles grant exactly what \"Backends\" in the README lists")
        #expect(manifests.all("ClusterRoleBinding").isEmpty, "nothing is granted cluster-wide")
        let namespace = try #require(try manifests.deployment().string("metadata.namespace"))
        let account = try manifests.one("ServiceAccount").string("metadata.name")
        let roles = Set((manifests.all("ClusterRole") + manifests.all("Role")).compactMap { $0.string("metadata.name") })
        for binding in manifests.all("RoleBinding") {
            #expect(binding.string("metadata.namespace") != namespace, "a binding grants in a models' namespace")
            #expect(roles.contains(binding.string("roleRef.name") ?? ""))
            for subject in binding.objects("subjects") {
                #expect(subject.string("kind") == "ServiceAccount" && subject.string("name") == account)
                #expect(subject.string("namespace") == namespace, "the bot's account, in the bot's namespace")
            }
        }
        for object in manifests.objects where !["ClusterRole", "RoleBinding"].contains(object.string("kind") ?? "") {
            #expect(object.string("metadata.namespace") == namespace, "\(object.string("kind") ?? "") is in the bot's namespace")
        }
    }

    @Test func theServiceMonitorComponentScrapesTheServiceAndOnlyItLacksASchema() async throws {
        let folder = try Self.kustomization(resources: [Variant.replicated.rawValue], components: ["deploy/kubernetes/components/service-monitor"])
        let manifests = try await RenderedManifests.render(folder)
        try await Self.expectValid(manifests)
        let monitor = try manifests.one("ServiceMonitor")
        let service = try manifests.one("Service")
        #expect(monitor.string("apiVersion") == "monitoring.coreos.com/v1")
        #expect(monitor.string("metadata.namespace") == service.string("metadata.namespace"))
        #expect(Self.selects(monitor.object("spec.selector.matchLabels"), service.object("metadata.labels")))
        let ports = Set(service.objects("spec.ports").compactMap { $0.string("name") })
        let path = try manifests.deployment().object("spec.template.metadata.annotations")["prometheus.io/path"] as? String
        #expect(monitor.objects("spec.endpoints").contains { ports.contains($0.string("port") ?? "") && $0.string("path") == path })
    }

    @Test func composeStartsTheBotOnceItsPostgreSQLAnswers() throws {
        let compose = try Self.yamlFile("deploy/compose.yaml")
        let database = compose.object("services.postgres")
        let bot = compose.object("services.chatops")
        #expect(database.string("image") == "postgres:15")
        #expect((database[path: "healthcheck.test"] as? [String])?.contains("pg_isready") == true)
        #expect(bot.string("depends_on.postgres.condition") == "service_healthy")
        let configurationPath = try Self.imageConfigurationPath()
        let mount = "./chatops.compose.yaml:\(configurationPath):ro"
        #expect((bot["volumes"] as? [String])?.contains(mount) == true, "the configuration is where the image's CMD reads it")
        let text = try String(contentsOf: Self.root.appendingPathComponent("deploy/chatops.compose.yaml"), encoding: .utf8)
        _ = try ShippedConfigurationTests.validate(text, name: "chatops.yaml")
        for name in ShippedConfigurationTests.environment(for: text).keys.sorted() {
            #expect(bot.string("environment.\(name)")?.hasPrefix("${\(name):?") == true, "compose passes \(name) and refuses to start without it")
        }
        let url = try #require(URLComponents(string: try Self.settings(text).string("store.postgres.url") ?? ""))
        #expect(url.host == "postgres", "the database is compose's service")
        #expect(url.user == database.string("environment.POSTGRES_USER"))
        #expect(url.path == "/" + (database.string("environment.POSTGRES_DB") ?? ""))
        #expect(database.string("environment.POSTGRES_PASSWORD")?.hasPrefix("${CHATOPS_DATABASE_PASSWORD:?") == true)
    }

    @Test func eachPostgreSQLConfigurationIsItsSQLiteTwinWithAnotherStore() throws {
        let twins = [
            ("deploy/kubernetes/base/chatops.yaml", "deploy/kubernetes/overlays/sqlite-single/chatops.yaml"),
            ("deploy/chatops.compose.yaml", "deploy/chatops.container.yaml"),
        ]
        for (postgres, sqlite) in twins {
            let withoutStores = try [postgres, sqlite].map { path in
                var settings = try Self.yamlFile(path)
                let store = settings.removeValue(forKey: "store")
                #expect(store is ManifestObject, "\(path) names its store")
                return Self.canonical(settings)
            }
            #expect(withoutStores[0] == withoutStores[1], "\(postgres) and \(sqlite) differ only in `store`")
        }
    }
}

extension DeployManifestTests {
    /// Checks rendered objects against the schemas of `kubernetesVersion`, strictly (an unknown field
    /// fails). kubernetes-validate 1.37.0 has no flag for kinds it holds no schema for: it warns and
    /// passes them, so every object outside `customResourceGroups` must be reported as passed.
    static func expectValid(_ manifests: RenderedManifests) async throws {
        let arguments = ["--strict", "--kubernetes-version", kubernetesVersion, "-"]
        let run = try await DeployTools.run(try DeployTools.kubernetesValidate(), arguments, input: manifests.text)
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        let lines = run.output.split(separator: "\n")
        let custom = manifests.objects.filter { customResourceGroups.contains(apiGroup(of: $0)) }.count
        #expect(lines.filter { $0.hasPrefix("INFO ") && $0.contains(" passed ") }.count == manifests.objects.count - custom, "\(run.output)")
        #expect(lines.filter { $0.hasPrefix("WARN ") }.count == custom, "\(run.output)")
    }

    /// A YAML value written out with the keys of its maps in order, to compare two values.
    static func canonical(_ value: Any?) -> String {
        if let fields = value as? ManifestObject {
            return "{" + fields.keys.sorted().map { "\($0): \(canonical(fields[$0]))" }.joined(separator: ", ") + "}"
        }
        if let list = value as? [Any] { return "[" + list.map { canonical($0) }.joined(separator: ", ") + "]" }
        return value.map { String(describing: $0) } ?? "null"
    }

    /// The API group of an object's `apiVersion` (the core group is "").
    static func apiGroup(of object: ManifestObject) -> String {
        let apiVersion = object.string("apiVersion") ?? ""
        return apiVersion.contains("/") ? String(apiVersion.prefix { $0 != "/" }) : ""
    }

    /// A kustomization in a new folder combining folders of the repository, as an operator's own would.
    static func kustomization(resources: [String], components: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-kustomization-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // kustomize takes relative paths only.
        let resolved = folder.resolvingSymlinksInPath()
        let repository = String(repeating: "../", count: resolved.pathComponents.count - 1) + root.resolvingSymlinksInPath().path.dropFirst()
        let list = { (paths: [String]) in "[" + paths.map { "\(repository)/\($0)" }.joined(separator: ", ") + "]" }
        let text = "resources: \(list(resources))\ncomponents: \(list(components))\n"
        try text.write(to: folder.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    /// A YAML text's top-level map.
    static func settings(_ text: String) throws -> ManifestObject {
        try #require(try Yams.load(yaml: text) as? ManifestObject)
    }

    /// The top-level map of a YAML file of the repository.
    static func yamlFile(_ path: String) throws -> ManifestObject {
        try settings(String(contentsOf: root.appendingPathComponent(path), encoding: .utf8))
    }

    /// The files of a repository folder the bot reads (commands and prompts), by name.
    static func repositoryFiles(in folder: String) throws -> [String: String] {
        let url = root.appendingPathComponent(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { name in
            [".yaml", ".yml", ".md"].contains { name.hasSuffix($0) }
        }
        return try Dictionary(uniqueKeysWithValues: names.map { try ($0, String(contentsOf: url.appendingPathComponent($0), encoding: .utf8)) })
    }

    /// Writes the commands and prompts the pod sees at `mounted` into a new folder, laid out as the pod sees them.
    static func writeCommands(of manifests: RenderedManifests, at mounted: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatops-commands-\(UUID().uuidString)")
        for (path, target) in [(mounted, folder), (mounted + "/prompts", folder.appendingPathComponent("prompts"))] {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for (name, text) in try manifests.configMap(mountedAt: path) {
                try text.write(to: target.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
        return folder
    }

    /// A Secret's key a container variable is set from.
    struct SecretKeyReference: Hashable {
        var secret: String
        var key: String
    }

    /// The container's variables set from a Secret, by name.
    static func secretReferences(of container: ManifestObject) -> [String: SecretKeyReference] {
        let pairs = container.objects("env").compactMap { entry -> (String, SecretKeyReference)? in
            guard let name = entry.string("name"), let secret = entry.string("valueFrom.secretKeyRef.name"),
                let key = entry.string("valueFrom.secretKeyRef.key")
            else { return nil }
            return (name, SecretKeyReference(secret: secret, key: key))
        }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    /// The numeric user and group the Dockerfile runs the image as (its last USER).
    static func imageUser() throws -> (user: Int, group: Int) {
        let user = try dockerfileInstruction("USER")
        let ids = user.split(separator: ":").compactMap { Int($0) }
        try #require(ids.count == 2, "the image's USER is a numeric user:group: \(user)")
        return (ids[0], ids[1])
    }

    /// The configuration file the image's CMD passes to `--config`.
    static func imageConfigurationPath() throws -> String {
        let arguments = try JSONDecoder().decode([String].self, from: Data(dockerfileInstruction("CMD").utf8))
        let flag = try #require(arguments.firstIndex(of: "--config"), "the image's CMD names --config")
        return arguments[flag + 1]
    }

    /// What the Dockerfile's last instruction of a kind says.
    static func dockerfileInstruction(_ instruction: String) throws -> String {
        let dockerfile = try String(contentsOf: root.appendingPathComponent("deploy/Dockerfile"), encoding: .utf8)
        let line = try #require(dockerfile.split(separator: "\n").last { $0.hasPrefix(instruction + " ") }, "the Dockerfile has \(instruction)")
        return String(line.dropFirst(instruction.count + 1))
    }

    /// Whether a configuration has a backend that calls the cluster with the pod's service account.
    static func callsTheClusterAsThePod(_ settings: ManifestObject) -> Bool {
        settings.object("backends").values.contains { ($0 as? ManifestObject)?.bool("in_cluster") == true }
    }

    /// Whether a label selector names labels and all of them are on `labels`.
    static func selects(_ selector: ManifestObject, _ labels: ManifestObject) -> Bool {
        !selector.isEmpty && selector.allSatisfy { key, value in labels[key] as? String == value as? String }
    }

    /// How many of the Deployment's pods its PodDisruptionBudget lets a drain evict at once; the budget
    /// must select those pods.
    static func podsADrainMayEvict(_ manifests: RenderedManifests) throws -> Int {
        let budget = try manifests.one("PodDisruptionBudget")
        let replicas = try #require(try manifests.deployment().int("spec.replicas"))
        let labels = try manifests.podLabels()
        #expect(selects(budget.object("spec.selector.matchLabels"), labels), "the budget selects the bot's pods")
        if let most = budget.int("spec.maxUnavailable") { return min(most, replicas) }
        let least = try #require(budget.int("spec.minAvailable"), "the budget gives maxUnavailable or minAvailable as a number")
        return max(replicas - least, 0)
    }

    /// What the rendered roles grant, as `group/resource verb`.
    static func grants(in manifests: RenderedManifests) -> Set<String> {
        let rules = (manifests.all("ClusterRole") + manifests.all("Role")).flatMap { $0.objects("rules") }
        return Set(
            rules.flatMap { rule -> [String] in
                let strings = { (key: String) in rule[key] as? [String] ?? [] }
                return strings("apiGroups").flatMap { group in
                    strings("resources").flatMap { resource in strings("verbs").map { "\(group)/\(resource) \($0)" } }
                }
            })
    }

    /// What the README's "Backends" table says the cluster backends must be granted, as `group/resource verb`:
    /// phrases such as "`get`, `patch` on `deployments` and `deployments/scale` (apps)" (no group: the core one).
    static func readmeGrants() throws -> Set<String> {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `kubernetes` |") || $0.hasPrefix("| `kserve` |") }
        try #require(rows.count == 2, "the README's Backends table has the kubernetes and kserve rows")
        var grants: Set<String> = []
        for row in rows {
            let granted = row.split(separator: "|").last ?? ""
            for phrase in granted.matches(of: /((?:`[a-z]+`, )*`[a-z]+`) on ((?:`[a-z\/]+` and )*`[a-z\/]+`)(?: \(([a-z.]+)\))?/) {
                let verbs = phrase.output.1.matches(of: /`([a-z]+)`/).map(\.output.1)
                let resources = phrase.output.2.matches(of: /`([a-z\/]+)`/).map(\.output.1)
                let group = phrase.output.3.map { String($0) } ?? ""
                grants.formUnion(resources.flatMap { resource in verbs.map { "\(group)/\(resource) \($0)" } })
            }
        }
        return grants
    }
}
