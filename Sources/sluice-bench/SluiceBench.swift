import ArgumentParser

/// `sluice-bench`: Sluice's benchmarks, run with `swift run -c release sluice-bench …`.
@main
struct SluiceBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-bench",
        abstract: "Benchmarks for Sluice (never part of swift test).",
        subcommands: [
            ColumnarCommand.self, ExportBenchmarkCommand.self, IngestBenchmarkCommand.self, ParseBenchmarkCommand.self,
            ReportsBenchmarkCommand.self, RollupUpkeepBenchmarkCommand.self, WatchLatencyCommand.self,
        ]
    )
}

/// `sluice-bench columnar`: .scol write/read throughput, size and footer open time against
/// pyarrow Parquet+zstd in the same run.
struct ColumnarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "columnar",
        abstract: "Write and read .scol files at 395 real rows and N generated rows; compare with Parquet (pyarrow)."
    )

    @Option(help: "Rows of generated data for the large scale.")
    var rows: Int = 1_000_000

    @Option(help: "Runs per measurement; medians are printed.")
    var runs: Int = 5

    @Option(help: "The student CSV (semicolon-separated, quoted text).")
    var csv: String = BenchPaths.repositoryRoot + "/data/student-mat.csv"

    @Option(help: "zstd level for .scol chunks.")
    var zstdLevel: Int = 1

    @Flag(help: "Skip the pyarrow Parquet baseline.")
    var noParquet = false

    func validate() throws {
        guard rows > 0, runs > 0 else { throw ValidationError("--rows and --runs must be positive") }
    }

    func run() throws {
        let real = try BenchTable.loadStudentCSV(csv)
        print(
            "sluice-bench columnar: \(real.columns.count) columns; medians of \(runs) runs; one thread; zstd level \(zstdLevel)"
        )
        let generated = BenchTable.generate(like: real, rows: rows, seed: 42)
        for (label, table) in [("real student-mat.csv", real), ("generated", generated)] {
            let bench = ColumnarBenchmark(table: table, runs: runs, zstdLevel: zstdLevel)
            let result = try bench.run()
            let parquet = noParquet ? nil : ParquetBaseline.run(table: table, runs: runs)
            Report.print(label: label, table: table, result: result, parquet: parquet)
        }
    }
}
