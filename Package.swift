// swift-tools-version:6.0
import PackageDescription

/// Swift settings shared by every Swift target. Swift 6 language mode (complete strict
/// concurrency checking) is the default for tools-version 6; no unsafe flags, so other packages
/// can depend on this one by version.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .library(
            name: "Sluice",
            targets: ["SluiceCSV", "SluiceSchema", "SluiceColumnar", "SluiceParquet", "SluiceWarehouse", "SluicePipeline"]
        ),
        .library(name: "SluiceColumnar", targets: ["SluiceColumnar"]),
        .library(name: "SluiceParquet", targets: ["SluiceParquet"]),
        .executable(name: "sluice", targets: ["sluice"]),
        .executable(name: "sluice-fuzz", targets: ["sluice-fuzz"]),
        .executable(name: "sluice-bench", targets: ["sluice-bench"]),
    ],
    dependencies: [
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

        // MARK: Engine modules.
        .target(name: "SluiceCSV", swiftSettings: strictSettings),
        .target(name: "SluiceSchema", dependencies: ["CSluiceYAML"], swiftSettings: strictSettings),
        .target(name: "SluiceColumnar", dependencies: ["CSluiceZstd"], swiftSettings: strictSettings),
        .target(name: "SluiceParquet", dependencies: ["CSluiceZstd"], swiftSettings: strictSettings),
        .target(name: "SluiceWarehouse", dependencies: ["CSluiceSQLite"], swiftSettings: strictSettings),
        .target(
            name: "SluicePipeline",
            dependencies: [
                "SluiceCSV", "SluiceSchema", "SluiceColumnar", "SluiceParquet", "SluiceWarehouse", "CSluiceSystem",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: The dashboard (the only library that depends on Hummingbird and Mustache).
        .target(
            name: "SluiceDashboard",
            dependencies: [
                "SluicePipeline", "SluiceWarehouse", "SluiceSchema",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: The command-line tool.
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluicePipeline", "SluiceColumnar", "SluiceDashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["parquet_baseline.py", "duckdb_reports.py", "export_baseline.py"],
            swiftSettings: strictSettings
        ),

        // MARK: Tests.
        .target(name: "SluiceTestSupport", path: "Tests/SluiceTestSupport"),
        // A SQLite VFS that fails the Nth write or sync, for the fault-injection tests (C: it is a VFS).
        .target(name: "CSluiceFaultVFS", dependencies: ["CSluiceSQLite"], path: "Tests/CSluiceFaultVFS"),
        .testTarget(name: "SluiceCSVTests", dependencies: ["SluiceCSV"]),
        .testTarget(name: "SluiceSchemaTests", dependencies: ["SluiceSchema"], exclude: ["Fixtures"]),
        .testTarget(name: "SluiceWarehouseTests", dependencies: ["SluiceWarehouse", "CSluiceZstd", "SluiceTestSupport"]),
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
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The browser test is a Python script that .ci/run runs against the built `sluice`.
            exclude: ["Browser"]
        ),
    ]
)
