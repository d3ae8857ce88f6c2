import ArgumentParser
import Foundation
import SluicePipeline

/// `sluice-bench ingest`: the whole pipeline at 1x (999 files), 10x and on request 100x, against
/// the `sqlite3` shell's `.import` (and DuckDB's `read_csv` when Python has `duckdb`) in the same run.
struct IngestBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract:
            "End-to-end ingest of generated deliveries (999 files per scale unit) against sqlite3 .import and DuckDB.",
        discussion: """
            Files come from `SampleDrivenGenerator` (the bundled data's columns, quoting and value
            frequencies; 395 rows each). Each run starts from a fresh workspace with the files already
            in inbox/ and times `sluice ingest` (cleaning, validation, .scol, SQLite, ledger, archive).
            Build the CLI in release first: swift build -c release
            """)

    @Option(help: "Scales to run, comma-separated multiples of 999 files (e.g. 1,10,100).")
    var scales: String = "1,10"

    @Option(help: "Runs per measurement; medians are printed.")
    var runs: Int = 3

    @Option(help: "The sluice binary to run.")
    var sluice: String = BenchPaths.repositoryRoot + "/.build/release/sluice"

    @Flag(help: "Skip the sqlite3 and DuckDB baselines.")
    var noBaselines = false

    @Option(help: ArgumentHelp("Keep the last loaded workspace here (for `sluice-bench reports`).", valueName: "dir"))
    var keep: String?

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: sluice) else {
            throw ValidationError("\(sluice) is not built; run `swift build -c release` first")
        }
        let example = try [UInt8](
            Data(contentsOf: URL(fileURLWithPath: BenchPaths.repositoryRoot + "/data/student-mat.csv")))
        let generator = try SampleDrivenGenerator(example: example)
        print("sluice-bench ingest: medians of \(runs) runs; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for scale in scales.split(separator: ",").compactMap({ Int($0) }) {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sluice-ingest-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let files = root.appendingPathComponent("files")
            try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
            let count = 999 * scale
            var bytes = 0
            for index in 0..<count {
                let content = generator.file(rows: 395, seed: UInt64(index + 1))
                bytes += content.count
                try Data(content).write(to: files.appendingPathComponent(String(format: "d%06d.csv", index)))
            }
            let rows = count * 395
            var times: [Double] = []
            var peak = 0
            var warehouseBytes = 0
            var columnarBytes = 0
            for run in 0..<runs {
                let workspace = root.appendingPathComponent("ws\(run)")
                try runQuietly(sluice, ["init", workspace.path])
                for name in try FileManager.default.contentsOfDirectory(atPath: files.path) {
                    try FileManager.default.linkItem(
                        at: files.appendingPathComponent(name),
                        to: workspace.appendingPathComponent("inbox/\(name)"))
                }
                let (seconds, rss) = try timed(sluice, ["ingest", "-w", workspace.path])
                times.append(seconds)
                peak = max(peak, rss)
                warehouseBytes =
                    size(workspace.appendingPathComponent("warehouse.sqlite").path)
                    + size(workspace.appendingPathComponent("warehouse.sqlite-wal").path)
                columnarBytes = try FileManager.default.contentsOfDirectory(
                    atPath: workspace.appendingPathComponent("columnar").path
                )
                .reduce(0) { $0 + size(workspace.appendingPathComponent("columnar/\($1)").path) }
                if let keep, run == runs - 1 {
                    try? FileManager.default.removeItem(atPath: keep)
                    try FileManager.default.moveItem(at: workspace, to: URL(fileURLWithPath: keep))
                } else {
                    try? FileManager.default.removeItem(at: workspace)
                }
            }
            let median = times.sorted()[times.count / 2]
            print("\n== \(scale)x: \(count) files, \(rows) rows, \(String(format: "%.1f", Double(bytes) / 1e6)) MB ==")
            print(
                String(
                    format: "  sluice ingest      %8.2f s   %7.0f files/s  %9.0f rows/s  %6.1f MB/s  peak RSS %d MB",
                    median, Double(count) / median, Double(rows) / median, Double(bytes) / median / 1e6, peak / 1024))
            print(
                String(
                    format: "  written            warehouse %.1f MB, .scol %.1f MB (%.2f B/row)",
                    Double(warehouseBytes) / 1e6, Double(columnarBytes) / 1e6, Double(columnarBytes) / Double(rows)))
            print(String(format: "  cost per row       %.2f µs", median / Double(rows) * 1e6))
            guard !noBaselines else { continue }
            if let sqlite = try sqliteImport(files: files, root: root) {
                print(
                    String(
                        format:
                            "  sqlite3 .import    %8.2f s   (one transaction, raw rows, no checks)   sluice/.import %.2fx",
                        sqlite, median / sqlite))
            }
            if let duck = try duckDB(files: files, root: root) {
                print(
                    String(
                        format:
                            "  duckdb read_csv    %8.2f s   (one table, text lower-cased, DISTINCT)  sluice/duckdb %.2fx",
                        duck, median / duck))
            }
        }
    }

    /// `sqlite3`'s `.import` of every file into one table, in one transaction; `nil` without the shell.
    private func sqliteImport(files: URL, root: URL) throws -> Double? {
        guard let shell = which("sqlite3") else { return nil }
        var script = ".mode csv\n.separator ;\nBEGIN;\n"
        for name in try FileManager.default.contentsOfDirectory(atPath: files.path).sorted() {
            script += ".import \(files.appendingPathComponent(name).path) t\n"
        }
        script += "COMMIT;\n"
        let scriptURL = root.appendingPathComponent("import.sql")
        try Data(script.utf8).write(to: scriptURL)
        var times: [Double] = []
        for run in 0..<runs {
            let db = root.appendingPathComponent("import\(run).db").path
            times.append(try timed(shell, [db], stdin: scriptURL).0)
            try? FileManager.default.removeItem(atPath: db)
        }
        return times.sorted()[times.count / 2]
    }

    /// DuckDB through Python, when `import duckdb` works; `nil` otherwise.
    private func duckDB(files: URL, root: URL) throws -> Double? {
        guard let python = which("python3"), (try? runQuietly(python, ["-c", "import duckdb"])) != nil else {
            return nil
        }
        // The same cleaning as Sluice's: names normalised, text trimmed and lower-cased, repeated
        // rows dropped (across all files here, within each file in Sluice).
        let code = """
            import duckdb, time, sys
            con = duckdb.connect(sys.argv[2])
            con.execute("SET enable_progress_bar = false")  # it writes to stdout past 2 s
            start = time.time()
            source = f"read_csv('{sys.argv[1]}/*.csv', delim=';', header=true, normalize_names=true)"
            columns = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
            select = ", ".join(f"lower(trim({c[0]})) AS {c[0]}" if c[1] == "VARCHAR" else c[0] for c in columns)
            con.execute(f"CREATE TABLE t AS SELECT DISTINCT {select} FROM {source}")
            print(time.time() - start)
            """
        var times: [Double] = []
        for run in 0..<runs {
            let db = root.appendingPathComponent("duck\(run).db").path
            let (output, errors) = try capture(python, ["-c", code, files.path, db])
            if let last = output.split(separator: "\n").last,
                let seconds = Double(last.trimmingCharacters(in: .whitespaces))
            {
                times.append(seconds)
            } else {
                print("  duckdb run failed: \(errors.split(separator: "\n").suffix(3).joined(separator: " | "))")
            }
            try? FileManager.default.removeItem(atPath: db)
        }
        return times.isEmpty ? nil : times.sorted()[times.count / 2]
    }

    private func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
    }

    private func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Standard output and the end of standard error (written to a file, so neither pipe fills).
    private func capture(_ path: String, _ arguments: [String]) throws -> (String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-bench-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (String(decoding: data, as: UTF8.self), errors)
    }

    /// Wall seconds of one run, and its peak resident size in KB: measured by GNU time
    /// (`/usr/bin/time -f %M`) when it is installed, else the largest of any child so far.
    private func timed(_ path: String, _ arguments: [String], stdin: URL? = nil) throws -> (Double, Int) {
        let gnuTime = "/usr/bin/time"
        let rssFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-bench-\(UUID().uuidString).rss")
        defer { try? FileManager.default.removeItem(at: rssFile) }
        let useGNUTime = FileManager.default.isExecutableFile(atPath: gnuTime)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: useGNUTime ? gnuTime : path)
        process.arguments = useGNUTime ? ["-f", "%M", "-o", rssFile.path, path] + arguments : arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: stdin) }
        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if useGNUTime, let text = try? String(contentsOf: rssFile, encoding: .utf8),
            let kilobytes = text.split(separator: "\n").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        {
            return (seconds, kilobytes)
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return (seconds, Int(usage.ru_maxrss))
    }
}
