// swift-tools-version:6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ChatOps",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chatops", targets: ["chatops"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "ChatOpsCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OutboundHTTP",
            dependencies: [
                "ChatOpsCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ChatOpsStore",
            dependencies: [
                "ChatOpsCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ChatPlatforms",
            dependencies: [
                "ChatOpsCore", "OutboundHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OpsBackends",
            dependencies: [
                "ChatOpsCore", "OutboundHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LLM",
            dependencies: [
                "ChatOpsCore", "OutboundHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Evaluation",
            dependencies: [
                "ChatOpsCore", "LLM", "OpsBackends", "OutboundHTTP", .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ChatOpsServer",
            dependencies: [
                "ChatOpsCore", "ChatOpsStore", "ChatPlatforms", "OpsBackends", "LLM", "Evaluation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "chatops",
            dependencies: [
                "ChatOpsServer",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DiscordAPIDouble",
            dependencies: ["ChatOpsCore", "LocalServer", "SlackAPIDouble", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/Support/DiscordAPIDouble",
            swiftSettings: strictSettings
        ),
        .target(
            name: "SlackSocketModeDouble",
            dependencies: [
                "ChatOpsCore", "LocalServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/Support/SlackSocketModeDouble",
            swiftSettings: strictSettings
        ),
        .target(
            name: "DiscordGatewayDouble",
            dependencies: [
                "ChatOpsCore", "LocalServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/Support/DiscordGatewayDouble",
            swiftSettings: strictSettings
        ),
        .target(
            name: "LocalServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            path: "Tests/Support/LocalServer",
            swiftSettings: strictSettings
        ),
        .target(name: "ChildProcesses", path: "Tests/Support/ChildProcesses", swiftSettings: strictSettings),
        .target(
            name: "PostgresFixtures",
            dependencies: [
                "ChildProcesses", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support/PostgresFixtures",
            swiftSettings: strictSettings
        ),
        .target(
            name: "FuzzChecks",
            dependencies: ["ChatOpsCore"],
            path: "Tests/Support/FuzzChecks",
            swiftSettings: strictSettings
        ),
        .target(
            name: "MLflowFixtures",
            dependencies: ["ChatOpsCore", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "Tests/Support/MLflowFixtures",
            swiftSettings: strictSettings
        ),
        .target(
            name: "KubernetesAPIDouble",
            dependencies: ["ChatOpsCore", "LocalServer", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/Support/KubernetesAPIDouble",
            swiftSettings: strictSettings
        ),
        .target(
            name: "OpenAIAPIDouble",
            dependencies: ["ChatOpsCore", "LocalServer", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/Support/OpenAIAPIDouble",
            swiftSettings: strictSettings
        ),
        .target(
            name: "SlackAPIDouble",
            dependencies: ["ChatOpsCore", "ChatPlatforms", "LocalServer", "ChildProcesses", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/Support/SlackAPIDouble",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatPlatformsTests",
            dependencies: [
                "ChatOpsCore", "ChatPlatforms", "OutboundHTTP", "SlackAPIDouble", "SlackSocketModeDouble", "DiscordAPIDouble", "DiscordGatewayDouble",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LLMTests",
            dependencies: [
                "LLM", "ChatOpsCore", "LocalServer", "OpenAIAPIDouble", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OpsBackendsTests",
            dependencies: [
                "OpsBackends", "ChatOpsCore", "LocalServer", "KubernetesAPIDouble", "MLflowFixtures",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EvaluationTests",
            dependencies: [
                "Evaluation", "ChatOpsCore", "ChatOpsStore", "LLM", "OpsBackends", "LocalServer", "KubernetesAPIDouble", "MLflowFixtures",
                .product(name: "Logging", package: "swift-log"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "ChatOpsCoreTests", dependencies: ["ChatOpsCore", "FuzzChecks"], swiftSettings: strictSettings),
        .testTarget(
            name: "ChatOpsStoreTests",
            dependencies: ["ChatOpsStore", "ChatOpsCore", "PostgresFixtures", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatOpsServerTests",
            dependencies: [
                "ChatOpsServer", "LLM", "Evaluation", "SlackAPIDouble", "DiscordAPIDouble",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "ChatOpsCore", "ChatOpsStore", "KubernetesAPIDouble", "MLflowFixtures",
                "ChatPlatforms",
                "SlackAPIDouble", "DiscordAPIDouble", "OpenAIAPIDouble", "PostgresFixtures", "ChildProcesses",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)

// libFuzzer targets, one per parser (Fuzz/<Name>/<Name>Fuzz.swift), declared only when CHATOPS_FUZZ is set so
// that `swift build` and `swift test` never see them. `scripts/fuzz` builds and runs them; they have no `main`
// of their own (libFuzzer supplies it), so they link only with `--sanitize fuzzer -Xswiftc -sanitize=fuzzer,address`.
if Context.environment["CHATOPS_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("CommandParser", ["ChatOpsCore", "FuzzChecks"]),
        ("CommandFile", ["ChatOpsCore", "FuzzChecks"]),
        ("Cron", ["FuzzChecks"]),
        ("SlackDecoders", ["ChatOpsCore", "ChatPlatforms", "FuzzChecks"]),
        ("DiscordDecoders", ["ChatOpsCore", "ChatPlatforms", "FuzzChecks"]),
        ("SecretExpander", ["ChatOpsCore", "ChatOpsServer", "FuzzChecks"]),
        ("SecretRedactor", ["LLM", "FuzzChecks"]),
    ]
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: "Fuzz\(target.name)",
                dependencies: target.dependencies,
                path: "Fuzz/\(target.name)",
                swiftSettings: strictSettings + [.unsafeFlags(["-parse-as-library"])]
            ))
        package.products.append(.executable(name: "Fuzz\(target.name)", targets: ["Fuzz\(target.name)"]))
    }
}
