// swift-tools-version: 6.0
// Retort: distilling large language models into small ones. Layout and dependency direction are
// fixed by ../shared/ARCHITECTURE.md: CLI → Pipeline → Knowledge/Distill → Teachers/Models → Tensor,
// and plugins see nothing but the C ABI in SDK/include/retort/retort.h.
import PackageDescription

/// A plugin or fixture built as its own shared library, as users build theirs.
func pluginLibrary(_ product: String, target: String) -> Product {
    .library(name: product, type: .dynamic, targets: [target])
}

/// C test fixtures: small broken plugins that exercise every bad-input path of the host.
let fixturePlugins = [
    "NoEntry", "WrongABI", "NullFunction", "NullExtensionFunction", "BadManifest", "IncompleteManifest",
    "MissingToolSymbol",
]

/// The numeric modules are compiled with -O in debug builds too: tests and the local teacher run
/// real models, which are 10× slower unoptimized. Debugging them still works through -g.
let optimizedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Retort",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "retort", targets: ["retort"]),
        .library(name: "RetortPipeline", targets: ["RetortPipeline"]),
        .library(name: "RetortPluginSDK", targets: ["RetortPluginSDK"]),
        pluginLibrary("retort_plugin_c_example", target: "CExamplePlugin"),
        pluginLibrary("retort_plugin_swift_example", target: "SwiftExamplePlugin"),
        pluginLibrary("retort_plugin_instruct", target: "InstructPlugin"),
        pluginLibrary("retort_plugin_reasoning", target: "ReasoningPlugin"),
        pluginLibrary("retort_plugin_tool_use", target: "ToolUsePlugin"),
        pluginLibrary("retort_plugin_rag", target: "RagPlugin"),
        pluginLibrary("retort_plugin_code", target: "CodePlugin"),
        pluginLibrary("retort_plugin_medical", target: "MedicalPlugin"),
        pluginLibrary("retort_plugin_law", target: "LawPlugin"),
        pluginLibrary("retort_plugin_multimodal", target: "MultimodalPlugin"),
    ] + fixturePlugins.map { pluginLibrary("retort_fixture_\($0)", target: "Fixture\($0)") },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The C ABI: the only contract between host and plugins.
        .target(
            name: "RetortABI",
            path: "SDK",
            exclude: ["Swift", "README.md"],
            sources: ["c"],
            publicHeadersPath: "include"
        ),
        // The thin Swift layer for writing plugins in Swift (SDK/Swift).
        .target(
            name: "RetortPluginEntry",
            dependencies: ["RetortABI"],
            path: "SDK/Swift/RetortPluginEntry"
        ),
        .target(name: "RetortJSON", path: "SDK/Swift/RetortJSON"),
        .target(
            name: "RetortPluginSDK",
            dependencies: ["RetortABI", "RetortPluginEntry", "RetortJSON"],
            path: "SDK/Swift/RetortPluginSDK"
        ),

        // System libraries (Debian packages; see the Makefile's setup target).
        .systemLibrary(name: "CLibFFI", pkgConfig: "libffi", providers: [.apt(["libffi-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),

        // Hand-written C kernels (inference products whose rows stay independent), optimized in debug builds too.
        .target(name: "CRetortKernels", cSettings: [.unsafeFlags(["-O2"])]),

        // The modules, bottom to top.
        .target(
            name: "RetortTensor",
            dependencies: ["CRetortKernels", .target(name: "COpenBLAS", condition: .when(platforms: [.linux])),
                           .target(name: "CDNNL", condition: .when(platforms: [.linux]))],
            swiftSettings: optimizedEvenInDebug
        ),
        .target(name: "RetortModels", dependencies: ["RetortTensor", "RetortJSON"], swiftSettings: optimizedEvenInDebug),
        .target(
            name: "RetortTeachers",
            dependencies: [
                "RetortModels", "RetortTensor", "RetortJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RetortHost",
            dependencies: [
                "RetortABI", "RetortJSON", "CLibFFI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "RetortKnowledge",
            dependencies: [
                "RetortTeachers", "RetortHost", "RetortModels", "RetortTensor", "RetortJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(name: "RetortDistill", dependencies: ["RetortModels", "RetortHost", "RetortABI", "RetortJSON"]),
        .target(
            name: "RetortPipeline",
            dependencies: [
                "RetortHost", "RetortJSON", "RetortKnowledge", "RetortDistill", "RetortTeachers", "RetortModels", "RetortTensor",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "retort",
            dependencies: [
                "RetortPipeline", "RetortJSON", "RetortTensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Example plugins: one in C, one in Swift, both built by the package.
        .target(
            name: "CExamplePlugin", dependencies: ["RetortABI"], path: "Examples/Plugins/CExample",
            publicHeadersPath: "."),
        .target(
            name: "SwiftExamplePlugin",
            dependencies: ["RetortPluginSDK"],
            path: "Examples/Plugins/SwiftExample"
        ),

        .testTarget(name: "RetortHostTests", dependencies: ["RetortHost", "RetortJSON", "RetortABI"]),
        .testTarget(name: "RetortTensorTests", dependencies: ["RetortTensor", "CRetortKernels"]),
        .testTarget(name: "RetortModelsTests", dependencies: ["RetortModels", "RetortTensor"], exclude: ["Fixtures"]),
        .testTarget(
            name: "RetortDistillTests", dependencies: ["RetortDistill", "RetortHost", "RetortTensor", "RetortJSON"],
            exclude: ["Fixtures"]),
        // Skill and vertical plugins (Plugins/<Name>), each its own shared library.
        .target(name: "InstructPlugin", dependencies: ["RetortPluginSDK"], path: "Plugins/Instruct", exclude: ["README.md"]),
        .target(name: "ReasoningPlugin", dependencies: ["RetortPluginSDK"], path: "Plugins/Reasoning", exclude: ["README.md"]),
        // Tool use is written in C: its tools are exported symbols the host calls through libffi.
        .target(
            name: "ToolUsePlugin", dependencies: ["RetortABI"], path: "Plugins/ToolUse", exclude: ["README.md"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "RagPlugin", dependencies: ["RetortPluginSDK"], path: "Plugins/Rag", exclude: ["README.md"]),
        // The code sandbox starts its child with a small C launcher (namespaces, Landlock, rlimits).
        .target(name: "CodeSandboxSpawn", path: "Plugins/Code/Spawn"),
        .target(
            name: "CodePlugin", dependencies: ["RetortPluginSDK", "CodeSandboxSpawn"], path: "Plugins/Code",
            exclude: ["README.md", "Spawn"]),
        .target(name: "MedicalPlugin", dependencies: ["RetortPluginSDK"], path: "Plugins/Medical", exclude: ["README.md"]),
        .target(name: "LawPlugin", dependencies: ["RetortPluginSDK"], path: "Plugins/Law", exclude: ["README.md"]),
        // The multimodal plugin's images and their annotations are resources beside the library.
        .target(
            name: "MultimodalPlugin", dependencies: ["RetortPluginSDK"], path: "Plugins/Multimodal", exclude: ["README.md"],
            resources: [.copy("images")]),

        .testTarget(
            name: "RetortPipelineTests",
            dependencies: [
                "RetortPipeline", "RetortDistill", "RetortModels", "RetortKnowledge", "RetortTeachers", "RetortJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "RetortCLITests",
            dependencies: [
                "RetortHost", "RetortJSON", "RetortPipeline", "RetortKnowledge", "RetortTeachers", "RetortModels", "RetortTestSupport",
            ],
            exclude: ["Fixtures"]),
        // Loopback servers for network tests: a delayed OpenAI-compatible server and a fault-injecting proxy.
        .target(
            name: "RetortTestSupport",
            dependencies: [
                "RetortTeachers", "RetortJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RetortTestSupport"
        ),
        .testTarget(name: "RetortTeachersTests", dependencies: ["RetortTeachers", "RetortModels", "RetortTestSupport", "RetortJSON"]),
        .testTarget(name: "RetortKnowledgeTests", dependencies: ["RetortKnowledge", "RetortJSON"], exclude: ["Quality/Fixtures"]),
        // A process the run-store crash test kills with SIGKILL in the middle of a commit.
        .executableTarget(
            name: "RetortStoreTorture", dependencies: ["RetortPipeline", "RetortKnowledge", "RetortModels", "RetortJSON"],
            path: "Tests/RetortStoreTorture"),
    ] + fixturePlugins.map {
        .target(
            name: "Fixture\($0)", dependencies: ["RetortABI"], path: "Tests/Fixtures/Plugins/\($0)",
            publicHeadersPath: ".")
    }
)
