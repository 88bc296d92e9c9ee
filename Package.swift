// swift-tools-version: 6.1
import CompilerPluginSupport
import PackageDescription

/// Settings every Catena target shares: Swift 6 mode plus the upcoming features the Swift server projects use.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "Catena",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Catena", targets: ["Catena"]),
        .library(name: "CatenaTesting", targets: ["CatenaTesting"]),
        .library(name: "CatenaMacros", targets: ["CatenaMacros"]),
        .library(name: "CatenaTestingServer", targets: ["CatenaTestingServer"]),
        .executable(name: "catena-demo", targets: ["catena-demo"]),
        .library(name: "CatenaOpenAI", targets: ["CatenaOpenAI"]),
        .library(name: "CatenaOCI", targets: ["CatenaOCI"]),
        .library(name: "CatenaAnthropic", targets: ["CatenaAnthropic"]),
        .executable(name: "catena", targets: ["catena"]),
        .executable(name: "catena-quickstart", targets: ["catena-quickstart"]),
        .executable(name: "catena-bench", targets: ["catena-bench"]),
        .library(name: "CatenaCompletion", targets: ["CatenaCompletion"]),
        .library(name: "CatenaSQLiteCache", targets: ["CatenaSQLiteCache"]),
        .library(name: "CatenaRedis", targets: ["CatenaRedis"]),
        .library(name: "CatenaOpenTelemetry", targets: ["CatenaOpenTelemetry"]),
        .library(name: "CatenaGateway", targets: ["CatenaGateway"]),
        .library(name: "CatenaSQLiteCheckpoints", targets: ["CatenaSQLiteCheckpoints"]),
        .library(name: "CatenaPostgres", targets: ["CatenaPostgres"]),
        .library(name: "CatenaMCP", targets: ["CatenaMCP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        // The bounded producer/consumer channel of streams fed by tasks (the core's only addition to the server stack).
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.0"),
        // OTLP/HTTP export (CatenaOpenTelemetry only; the gRPC exporter is left out: it would build gRPC).
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The gateway's HTTP server and its YAML configuration (CatenaGateway only).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Keys and spend shared by gateway replicas (CatenaGateway only).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // `@JSONSchema`: JSON schemas derived from Swift declarations (CatenaMacros only).
        .package(url: "https://github.com/swiftlang/swift-syntax.git", "602.0.0"..<"604.0.0"),
        // `swift package generate-documentation` (scripts/docs.sh); a command plugin, built only when it runs.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // The core: runnables, callbacks, the provider seam; telemetry through the tracing and metrics APIs only.
        .target(
            name: "Catena",
            dependencies: [
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "CatenaTesting", dependencies: ["Catena"], swiftSettings: strictSettings),
        // `@JSONSchema`, kept apart so that only code that derives schemas builds swift-syntax.
        .macro(
            name: "CatenaMacrosPlugin",
            dependencies: [
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
                .product(name: "SwiftDiagnostics", package: "swift-syntax"),
            ],
            swiftSettings: strictSettings),
        .target(name: "CatenaMacros", dependencies: ["Catena", "CatenaMacrosPlugin"], swiftSettings: strictSettings),
        // A scriptable loopback HTTP server for faults a real model server cannot produce on demand.
        .target(
            name: "CatenaTestingServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "catena-demo", dependencies: ["Catena", "CatenaTesting"], swiftSettings: strictSettings),
        // OpenAI-compatible and vLLM models over HTTP (AsyncHTTPClient), with the SSE decoder and wire types.
        .target(
            name: "CatenaOpenAI",
            dependencies: [
                "Catena",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings),
        // OpenTelemetry export with swift-otel, kept apart so the rest builds without it.
        .target(
            name: "CatenaOpenTelemetry",
            dependencies: [
                "Catena",
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // `catena serve`: an OpenAI-compatible gateway on Hummingbird, configured in YAML.
        .target(
            name: "CatenaGateway",
            dependencies: [
                "Catena", "CatenaOpenAI", "CatenaCompletion", "CatenaAnthropic", "CatenaSQLiteCache", "CatenaRedis",
                "CatenaPostgres", "CatenaMCP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // Anthropic's Messages API as a chat provider, over CatenaOpenAI's transport.
        // Anthropic's Messages API: its provider, and its `anthropic/…` completion provider.
        .target(
            name: "CatenaAnthropic", dependencies: ["Catena", "CatenaOpenAI", "CatenaCompletion"],
            swiftSettings: strictSettings),
        // Oracle Cloud model deployments: request signing, `~/.oci/config` profiles, and the `oci/…` completion provider.
        .target(
            name: "CatenaOCI",
            dependencies: [
                "CatenaOpenAI", "CatenaCompletion",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings),
        // completion("provider/model"): logging callbacks, payload, cost, the cache, router.
        .target(
            name: "CatenaCompletion",
            dependencies: [
                "Catena", "CatenaOpenAI",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            resources: [.process("Resources")],
            swiftSettings: strictSettings),
        // The persistent response cache on SQLite (GRDB), kept apart so GRDB builds only where it is used.
        .target(
            name: "CatenaSQLiteCache",
            dependencies: ["Catena", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings),
        // An agent's checkpoints on SQLite (GRDB): the store for threads on one machine.
        .target(
            name: "CatenaSQLiteCheckpoints",
            dependencies: ["Catena", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings),
        // Catena's stores on PostgreSQL (postgres-nio), for replicas: agent checkpoints, and the database the
        // gateway's key store migrates.
        .target(
            name: "CatenaPostgres",
            dependencies: [
                "Catena",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // Tools, resources and prompts of Model Context Protocol servers, over stdio and streamable HTTP (the protocol
        // spoken here: see MCPConnection for why not through the official Swift SDK's client).
        .target(
            name: "CatenaMCP",
            dependencies: [
                "Catena", "CatenaOpenAI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // The response cache on Redis, shared between replicas: a small RESP client on SwiftNIO.
        .target(
            name: "CatenaRedis",
            dependencies: [
                "Catena", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "catena",
            dependencies: [
                "Catena", "CatenaOpenAI", "CatenaOCI", "CatenaCompletion", "CatenaSQLiteCache", "CatenaRedis",
                "CatenaOpenTelemetry", "CatenaGateway", "CatenaDemoJob", "CatenaMCP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        // The README's main job: the streamed chain and its run tree (shared by `catena demo`), and the lean program
        // `scripts/demo.sh` builds, with nothing the demo does not run.
        .target(name: "CatenaDemoJob", dependencies: ["Catena", "CatenaOpenAI"], swiftSettings: strictSettings),
        .executableTarget(
            name: "catena-quickstart", dependencies: ["Catena", "CatenaOpenAI", "CatenaCompletion", "CatenaDemoJob"],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "catena-bench",
            dependencies: [
                "Catena", "CatenaTesting", "CatenaOpenAI", "CatenaCompletion", "CatenaSoak", "CatenaGateway",
                "CatenaSQLiteCheckpoints", "CatenaMCP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings),
        // The decoders of untrusted input as libFuzzer targets (scripts/fuzz.sh), also replayed by the tests.
        .target(
            name: "CatenaFuzzTargets",
            dependencies: [
                "Catena", "CatenaOpenAI", "CatenaOCI", "CatenaCompletion", "CatenaRedis", "CatenaAnthropic",
                "CatenaMCP",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        // The fault soak (catena-bench soak, and a short one in the tests): calls with random faults, each checked.
        .target(
            name: "CatenaSoak",
            dependencies: ["Catena", "CatenaTesting", "CatenaOpenAI", "CatenaCompletion", "CatenaTestingServer"],
            swiftSettings: strictSettings),
        // libFuzzer's driver entry point, declared for the fuzzing build.
        .target(name: "CLibFuzzer"),
        .executableTarget(
            name: "catena-fuzz", dependencies: ["CatenaFuzzTargets", "CLibFuzzer"], swiftSettings: strictSettings),
        // The README's examples, each a program the build compiles (a test checks the README shows them as they are).
        .executableTarget(
            name: "example-model-server", dependencies: ["Catena", "CatenaOpenAI"], path: "Examples/ModelServer",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "example-completion", dependencies: ["Catena", "CatenaCompletion", "CatenaSQLiteCache"],
            path: "Examples/Completion", swiftSettings: strictSettings),
        .executableTarget(
            name: "example-pipeline", dependencies: ["Catena", "CatenaOpenAI"], path: "Examples/Pipeline",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "example-custom-llm", dependencies: ["Catena"], path: "Examples/CustomLLM",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "example-agent", dependencies: ["Catena", "CatenaMacros", "CatenaOpenAI"], path: "Examples/Agent",
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaTests", dependencies: ["Catena", "CatenaTesting", "CatenaTestServices"], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaOpenAITests",
            dependencies: [
                "CatenaTestServices",
                "Catena", "CatenaTesting", "CatenaTestingServer", "CatenaOpenAI", "CatenaOCI", "CatenaAnthropic",
                "CatenaMacros",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaOpenTelemetryTests",
            dependencies: [
                "CatenaTestServices", "Catena", "CatenaOpenTelemetry", "CatenaTestingServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaMacrosTests",
            dependencies: [
                "Catena", "CatenaMacros", "CatenaMacrosPlugin", "CatenaTesting",
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacroExpansion", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacrosGenericTestSupport", package: "swift-syntax"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaSQLiteCacheTests", dependencies: ["CatenaSQLiteCache"], swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaCompletionTests",
            dependencies: [
                "CatenaTestServices",
                "Catena", "CatenaOpenAI", "CatenaOCI", "CatenaCompletion", "CatenaSQLiteCache", "CatenaRedis",
                "CatenaAnthropic", "CatenaTestingServer", "CatenaFuzzTargets", "CatenaSoak", "CatenaTesting",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaOCITests",
            dependencies: [
                "CatenaTestServices", "Catena", "CatenaOpenAI", "CatenaOCI", "CatenaTestingServer",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaAnthropicTests",
            dependencies: [
                "CatenaTestServices", "Catena", "CatenaOpenAI", "CatenaAnthropic", "CatenaTesting",
                "CatenaTestingServer",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaRedisTests",
            dependencies: ["CatenaRedis", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaCheckpointTests",
            dependencies: [
                "Catena", "CatenaSQLiteCheckpoints", "CatenaPostgres", "CatenaTestServices", "CatenaTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaMCPTests",
            dependencies: ["Catena", "CatenaMCP", "CatenaTesting", "CatenaTestingServer", "CatenaTestServices"],
            exclude: ["Servers"], swiftSettings: strictSettings),
        // The program the checkpoint tests kill in the middle of an agent run, and resume.
        .executableTarget(
            name: "catena-checkpoint-child", dependencies: ["Catena", "CatenaTesting", "CatenaSQLiteCheckpoints"],
            path: "Tests/CheckpointChild", swiftSettings: strictSettings),
        // The real services tests start themselves (redis-server), shared by the test targets; not a product.
        .target(
            name: "CatenaTestServices",
            dependencies: [
                "Catena", "CatenaOpenAI", "CatenaRedis", "CatenaTestingServer",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Tests/CatenaTestServices",
            swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaGatewayTests",
            dependencies: [
                "CatenaTestServices", "CatenaSoak",
                "Catena", "CatenaOpenAI", "CatenaCompletion", "CatenaGateway", "CatenaTestingServer", "CatenaMCP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["Scripts"],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
