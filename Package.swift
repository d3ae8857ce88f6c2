// swift-tools-version:6.1
import PackageDescription

/// Swift settings shared by every Swift target. Swift 6 language mode (complete strict
/// concurrency checking) is the default for tools-version 6; no unsafe flags, so other packages
/// can depend on this one by version.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// Dependencies used only when a trait is on: SwiftPM resolves a package only if some enabled
/// product dependency names it, so every product of the tools and the dashboard is conditional.
let dashboard = TargetDependencyCondition.when(traits: ["Dashboard"])
let tools = TargetDependencyCondition.when(traits: ["Tools"])

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        // The front door: `import Sluice` (the workspace, ingest, reports, queries, watch).
        .library(name: "Sluice", targets: ["Sluice"]),
        .library(name: "SluiceColumnar", targets: ["SluiceColumnar"]),
        .library(name: "SluiceParquet", targets: ["SluiceParquet"]),
        .executable(name: "sluice", targets: ["sluice"]),
        .executable(name: "sluice-fuzz", targets: ["sluice-fuzz"]),
        .executable(name: "sluice-bench", targets: ["sluice-bench"]),
    ],
    // An embedder that wants only the engine turns the default traits off, and SwiftPM then
    // resolves nothing but swift-log (every other product below is used only under a trait):
    //   .package(url: "https://github.com/<owner>/sluice", from: "0.2.0", traits: [])
    traits: [
        .trait(
            name: "Tools", description: "The `sluice` and `sluice-bench` command-line tools (swift-argument-parser)."),
        .trait(
            name: "Dashboard", description: "The live dashboard and `sluice serve` (Hummingbird, Mustache, SwiftNIO).",
            enabledTraits: ["Tools"]),
        .default(enabledTraits: ["Dashboard"]),
    ],
    dependencies: [
        // Documentation: `swift package generate-documentation --target Sluice` (never resolved by
        // an embedder: no target uses it).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Already a Hummingbird dependency; named so the dashboard can end open event streams on shutdown.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // Already Hummingbird dependencies; named so the dashboard can answer malformed requests
        // (a URL over the parser's limit) with a JSON error from a channel handler.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // MARK: C libraries, linked from the system (thin module maps, no vendored code).
        .systemLibrary(
            name: "CSluiceSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CSluiceYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // Declarations of the Linux calls Swift's Glibc module leaves out (syncfs); no library of its own.
        .systemLibrary(name: "CSluiceSystem"),
        .systemLibrary(
            name: "CSluiceZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        // Our own C, not a vendored library: SHA-256 blocks with the CPU's SHA extensions, chosen at run time.
        .target(name: "CSluiceSHA256"),

        // MARK: Engine modules.
        .target(name: "SluiceCSV", swiftSettings: strictSettings),
        .target(name: "SluiceSchema", dependencies: ["CSluiceYAML", "SluiceCSV"], swiftSettings: strictSettings),
        .target(name: "SluiceColumnar", dependencies: ["CSluiceZstd"], swiftSettings: strictSettings),
        .target(name: "SluiceParquet", dependencies: ["CSluiceZstd"], swiftSettings: strictSettings),
        .target(name: "SluiceWarehouse", dependencies: ["CSluiceSQLite"], swiftSettings: strictSettings),
        .target(
            name: "SluicePipeline",
            dependencies: [
                "SluiceCSV", "SluiceSchema", "SluiceColumnar", "SluiceParquet", "SluiceWarehouse", "CSluiceSystem",
                "CSluiceSHA256",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: The front door: one module an embedder imports.
        .target(
            name: "Sluice",
            dependencies: [
                "SluicePipeline", "SluiceWarehouse", "SluiceSchema", "SluiceCSV", "SluiceColumnar",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: The dashboard (the only library that depends on Hummingbird and Mustache).
        .target(
            name: "SluiceDashboard",
            dependencies: [
                "Sluice", "SluicePipeline", "SluiceWarehouse", "SluiceSchema",
                .product(name: "Hummingbird", package: "hummingbird", condition: dashboard),
                .product(name: "Mustache", package: "swift-mustache", condition: dashboard),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: dashboard),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio", condition: dashboard),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: dashboard),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras", condition: dashboard),
                .product(name: "HTTPTypes", package: "swift-http-types", condition: dashboard),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: The command-line tool.
        .executableTarget(
            name: "sluice",
            dependencies: [
                "Sluice", "SluicePipeline", "SluiceColumnar",
                .target(name: "SluiceDashboard", condition: dashboard),
                .product(name: "ArgumentParser", package: "swift-argument-parser", condition: tools),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: Fuzzing and benchmarks (never part of `swift test`).
        .executableTarget(
            name: "sluice-fuzz", dependencies: ["SluiceColumnar", "SluicePipeline", "SluiceSchema", "SluiceCSV"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "sluice-bench",
            dependencies: [
                "SluiceColumnar", "SluicePipeline", "SluiceCSV", "SluiceSchema", "SluiceWarehouse",
                .product(name: "ArgumentParser", package: "swift-argument-parser", condition: tools),
            ],
            exclude: ["parquet_baseline.py", "duckdb_reports.py", "export_baseline.py"],
            swiftSettings: strictSettings
        ),

        // MARK: Tests.
        .target(name: "SluiceTestSupport", path: "Tests/SluiceTestSupport"),
        // A SQLite VFS that fails the Nth write or sync, for the fault-injection tests (C: it is a VFS).
        .target(name: "CSluiceFaultVFS", dependencies: ["CSluiceSQLite"], path: "Tests/CSluiceFaultVFS"),
        .testTarget(name: "SluiceTests", dependencies: ["Sluice", "SluiceTestSupport"]),
        .testTarget(name: "SluiceCSVTests", dependencies: ["SluiceCSV"]),
        .testTarget(name: "SluiceSchemaTests", dependencies: ["SluiceSchema"], exclude: ["Fixtures"]),
        .testTarget(
            name: "SluiceWarehouseTests", dependencies: ["SluiceWarehouse", "CSluiceZstd", "SluiceTestSupport"]),
        .testTarget(
            name: "SluicePipelineTests",
            dependencies: [
                "SluicePipeline", "SluiceCSV", "SluiceSchema", "SluiceColumnar", "SluiceParquet", "SluiceTestSupport",
                "CSluiceFaultVFS",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SluiceColumnarTests", dependencies: ["SluiceColumnar", "SluiceTestSupport"], exclude: ["Fixtures"]
        ),
        .testTarget(name: "SluiceParquetTests", dependencies: ["SluiceParquet", "SluiceTestSupport"]),
        .testTarget(name: "SluiceCLITests", dependencies: ["sluice", "SluiceTestSupport"]),
        .testTarget(
            name: "SluiceDashboardTests",
            dependencies: [
                "SluiceDashboard", "SluicePipeline", "SluiceWarehouse", "SluiceTestSupport", "sluice",
                .product(name: "HummingbirdTesting", package: "hummingbird", condition: dashboard),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The browser test is a Python script that .ci/run runs against the built `sluice`.
            exclude: ["Browser"]
        ),
    ]
)
