import ArgumentParser
import Foundation
import SluicePipeline

/// `sluice-bench export`: `sluice export` of the 1x warehouse (999 generated deliveries, 394,605
/// rows) into a Parquet lake, against pyarrow's own Parquet+zstd of the same table.
struct ExportBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Time `sluice export` of the 1x warehouse to a Parquet lake; compare its size with pyarrow's Parquet+zstd.",
        discussion: """
            Loads 999 generated deliveries (as `sluice-bench ingest` makes them) into a fresh
            workspace, or uses --workspace. Each run exports into an empty folder (the full
            export: every delivery); then one more delivery and a second, incremental export.
            The baseline writes the same table (every column, _ingest_id included) with
            pyarrow.parquet.write_table(compression="zstd"). Build the CLI in release first:
            swift build -c release
            """)

    @Option(help: "Runs per measurement; medians are printed.")
    var runs: Int = 5

    @Option(help: "Scale: multiples of 999 files of 395 rows.")
    var scale: Int = 1

    @Option(help: "The sluice binary to run.")
    var sluice: String = BenchPaths.repositoryRoot + "/.build/release/sluice"

    @Option(help: ArgumentHelp("Use this loaded workspace instead of generating one.", valueName: "dir"))
    var workspace: String?

    @Flag(help: "Skip the pyarrow baseline.")
    var noBaseline = false

    func validate() throws {
        guard runs > 0, scale > 0 else { throw ValidationError("--runs and --scale must be positive") }
    }

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: sluice) else {
            throw ValidationError("\(sluice) is not built; run `swift build -c release` first")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-export-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let generator = try SampleDrivenGenerator(
            example: [UInt8](
                Data(contentsOf: URL(fileURLWithPath: BenchPaths.repositoryRoot + "/data/student-mat.csv"))))
        let ws: URL
        if let workspace {
            ws = URL(fileURLWithPath: workspace)
        } else {
            ws = root.appendingPathComponent("ws")
            try runQuietly(sluice, ["init", ws.path])
            for index in 0..<999 * scale {
                try Data(generator.file(rows: 395, seed: UInt64(index + 1))).write(
                    to: ws.appendingPathComponent(String(format: "inbox/d%06d.csv", index)))
            }
            print("loading \(999 * scale) generated files…")
            try runQuietly(sluice, ["ingest", "-w", ws.path])
        }
        let lake = root.appendingPathComponent("lake")
        print("sluice-bench export: medians of \(runs) runs; \(ProcessInfo.processInfo.activeProcessorCount) cores")

        var times: [Double] = []
        var totals: [String: Int] = [:]
        for _ in 0..<runs {
            try? FileManager.default.removeItem(at: lake)
            let (seconds, output) = try timed(sluice, ["export", lake.path, "-w", ws.path, "--json"])
            times.append(seconds)
            totals =
                (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])?["totals"]
                as? [String: Int] ?? [:]
        }
        let rows = totals["rows_written"] ?? 0
        let lakeBytes = totals["bytes_written"] ?? 0
        let full = median(times)
        print(
            String(
                format: "  full export         %8.3f s   %9.0f rows/s   %d rows in %d file(s), %.2f MB (%.2f B/row)",
                full, Double(rows) / full, rows, totals["files_written"] ?? 0, Double(lakeBytes) / 1e6,
                Double(lakeBytes) / Double(max(rows, 1))))

        // One more delivery, then the incremental export (the lake as the last run left it).
        let extra = root.appendingPathComponent("extra.csv")
        try Data(generator.file(rows: 395, seed: 1_000_000)).write(to: extra)
        try runQuietly(sluice, ["ingest", "-w", ws.path, extra.path])
        let (incremental, output) = try timed(sluice, ["export", lake.path, "-w", ws.path, "--json"])
        let second =
            (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])?["totals"] as? [String: Int]
            ?? [:]
        print(
            String(
                format:
                    "  incremental export  %8.3f s   one new delivery: %d rows, %d file(s) written, earlier files untouched",
                incremental, second["rows_written"] ?? 0, second["files_written"] ?? 0))
        _ = try? runQuietly(sluice, ["forget", "-w", ws.path, "extra.csv"])

        guard !noBaseline else { return }
        let baselineFile = root.appendingPathComponent("pyarrow.parquet")
        let (_, json) = try timed(
            "/usr/bin/env",
            [
                "python3", BenchPaths.sourceDirectory + "/export_baseline.py",
                ws.appendingPathComponent("warehouse.sqlite").path, "student_data", baselineFile.path, String(runs),
            ])
        guard let baseline = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let bytes = baseline["bytes"] as? Int, let write = baseline["write_seconds"] as? Double
        else {
            print("  (pyarrow baseline unavailable: python3 with pyarrow is needed — pip install pyarrow)")
            return
        }
        print(
            String(
                format: "  pyarrow %@ write_table(zstd), same table: %.2f MB (%.2f B/row), write alone %.3f s",
                baseline["pyarrow"] as? String ?? "?", Double(bytes) / 1e6, Double(bytes) / Double(max(rows, 1)), write)
        )
        print(String(format: "  ratio lake/pyarrow size  %.3f", Double(lakeBytes) / Double(bytes)))
    }

    /// Wall seconds and standard output of one run (which must succeed).
    private func timed(_ path: String, _ arguments: [String]) throws -> (Double, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(path) \(arguments.joined(separator: " ")) failed")
        }
        return (seconds, String(decoding: data, as: UTF8.self))
    }
}
