// swift-tools-version:6.1
// An app that embeds Sluice, exactly as the README and the "Getting started" article say:
// `scripts/check-embedding.sh` builds it against this checkout (as ../sluice) and runs it.
import PackageDescription

let package = Package(
    name: "EmbedSluice",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The engine only: no dashboard, no command-line tools, so nothing but swift-log resolves.
        .package(path: "../sluice", traits: [])
    ],
    targets: [
        .executableTarget(name: "EmbedSluice", dependencies: [.product(name: "Sluice", package: "sluice")])
    ]
)
