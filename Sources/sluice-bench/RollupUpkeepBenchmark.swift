import ArgumentParser
import Foundation
import SluicePipeline

/// `sluice-bench upkeep`: what keeping the saved reports' rollups costs the ingest — the same
/// files loaded with the bundled reports (five rollups) and without any report, alternating.
struct RollupUpkeepBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upkeep",
        abstract: "Ingest of generated deliveries with the bundled reports' rollups and without, in alternating runs.",
        discussion: """
            Files as in `sluice-bench ingest` (999 per scale unit, 395 rows each). Each run starts
            from a fresh workspace (`sluice init`, so the bundled reports and their rollups; for
            the runs without, queries/ is emptied) with the files hard-linked into inbox/, and
            times `sluice ingest`. The two kinds alternate, which one goes first alternating too.
            """)

    @Option(help: "Files to load (999 = 1x).")
    var files: Int = 999

    @Option(help: "Runs of each kind; medians are printed.")
    var runs: Int = 5

    @Option(help: "The sluice binary to run.")
    var sluice: String = BenchPaths.repositoryRoot + "/.build/release/sluice"

    func validate() throws {
        guard files > 0, runs > 0 else { throw ValidationError("--files and --runs must be positive") }
    }

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: sluice) else {
            throw ValidationError("\(sluice) is not built; run `swift build -c release --product sluice` first")
        }
        let example = try [UInt8](
            Data(contentsOf: URL(fileURLWithPath: BenchPaths.repositoryRoot + "/data/student-mat.csv")))
        let generator = try SampleDrivenGenerator(example: example)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-upkeep-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let source = root.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        for index in 0..<files {
            try Data(generator.file(rows: 395, seed: UInt64(index + 1))).write(
                to: source.appendingPathComponent(String(format: "d%06d.csv", index)))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: source.path)
        print("sluice-bench upkeep: \(files) files, \(files * 395) rows; \(runs) alternating runs of each")
        var with: [Double] = [], without: [Double] = []
        for run in 0..<runs {
            for rollups in run % 2 == 0 ? [true, false] : [false, true] {
                let workspace = root.appendingPathComponent("ws")
                try? FileManager.default.removeItem(at: workspace)
                try execute(["init", workspace.path])
                if !rollups {
                    let queries = workspace.appendingPathComponent("queries")
                    for name in try FileManager.default.contentsOfDirectory(atPath: queries.path) {
                        try FileManager.default.removeItem(at: queries.appendingPathComponent(name))
                    }
                }
                for name in names {
                    try FileManager.default.linkItem(
                        at: source.appendingPathComponent(name), to: workspace.appendingPathComponent("inbox/\(name)"))
                }
                let start = ContinuousClock.now
                try execute(["ingest", "-w", workspace.path])
                let elapsed = seconds(ContinuousClock.now - start)
                if rollups { with.append(elapsed) } else { without.append(elapsed) }
                print(String(format: "  run %d %@ rollups: %.3f s", run + 1, rollups ? "with   " : "without", elapsed))
            }
        }
        let (a, b) = (median(with), median(without))
        print(String(format: "  median: with rollups %.3f s, without %.3f s: upkeep %+.1f%%", a, b, (a / b - 1) * 100))
    }

    private func execute(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sluice)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 || process.terminationStatus == 3 else {
            throw ValidationError("sluice \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}
