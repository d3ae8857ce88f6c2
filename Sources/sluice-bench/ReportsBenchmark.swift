import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice-bench reports`: the saved reports over a loaded workspace, side by side: through
/// their rollups (in-process, and `sluice report` as a whole process), their full-scan SQL
/// with the indexes `sluice index` builds, and DuckDB in-process on the full-scan SQL; then
/// the dashboard page, warm.
struct ReportsBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract:
            "Time the saved reports: rollups, `sluice index` only, DuckDB; `sluice report` whole; the dashboard page warm.",
        discussion: """
            Load a workspace first, e.g. at 10x:
              sluice generate /tmp/files --files 9990
              sluice init /tmp/ws && ln /tmp/files/*.csv /tmp/ws/inbox/  (or mv)
              sluice ingest -w /tmp/ws
              swift build -c release --product sluice && swift build -c release --product sluice-bench
              .build/release/sluice-bench reports --workspace /tmp/ws
            The workspace's reports read their rollups (built now if missing); their full-scan
            SQL comes from --full-sql (the repository's queries/full/) and runs with the indexes
            the full-scan reports declare (built if missing, and left built). The whole-process
            figures run `sluice report` (all five, CSV) on the workspace, and on a copy of it
            whose queries/ holds the full-scan SQL (the same warehouse, linked). DuckDB loads the
            workspace's archive/*.csv into one table (text lower-cased, as Sluice cleans it) and
            runs the full-scan SQL; every answer is compared with the rollup's.
            """)

    @Option(help: "The loaded workspace.")
    var workspace: String

    @Option(help: "Runs per measurement; medians are printed (a query over 5 s runs once).")
    var runs: Int = 5

    @Option(help: "The folder of full-scan SQL, one file per report of the same name.")
    var fullSql: String = BenchPaths.repositoryRoot + "/queries/full"

    @Option(help: "The sluice binary to run.")
    var sluice: String = BenchPaths.repositoryRoot + "/.build/release/sluice"

    @Flag(help: "Skip the DuckDB baseline.")
    var noDuckdb = false

    @Flag(help: "Skip the `sluice index` figures (building the indexes takes minutes at 100x).")
    var noIndex = false

    @Flag(help: "Skip the dashboard page figure.")
    var noDashboard = false

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
    }

    func run() throws {
        let workspace = try Workspace.open(at: URL(fileURLWithPath: workspace))
        let reports = try workspace.reports().reports
        let fullCatalog = try ReportCatalog(directory: URL(fileURLWithPath: fullSql))
        let full = try reports.map { report in
            guard let check = fullCatalog.reports.first(where: { $0.name == report.name }) else {
                throw ValidationError("no full-scan SQL for \(report.name) in \(fullSql)")
            }
            return check
        }
        let warehouse = try Warehouse(path: workspace.layout.warehouse.path)
        let rows = try warehouse.query("SELECT count(*) FROM \(SQLiteIdentifier.quote(workspace.tableName))").rows
            .first?.first
        print(
            "sluice-bench reports: \(rows?.displayText ?? "?") rows in \(workspace.tableName); medians of \(runs) runs")

        let process = try ReportProcessTimings(sluice: sluice, runs: runs)
        if try workspace.rollups().contains(where: { $0.rows == nil }) {
            let start = ContinuousClock.now
            try process.rebuildRollups(workspace: workspace)
            print(
                String(
                    format: "  rollups built from the table in %.1f s (once, for a workspace loaded without them)",
                    seconds(since: start)))
        }
        var rollup: [String: (Double, QueryResult)] = [:]
        for report in reports { rollup[report.name] = try time(report, on: warehouse, runs: max(runs, 9)) }

        var indexed: [String: (Double, QueryResult)] = [:]
        if !noIndex {
            let existing = Set(try warehouse.existingReportIndexes())
            var buildSeconds = 0.0
            for index in ReportIndex.declared(by: full, on: workspace.tableName) where !existing.contains(index.name) {
                let seconds = try warehouse.build(index)
                buildSeconds += seconds
                print(String(format: "  built %@ in %.1f s", index.name, seconds))
            }
            if buildSeconds > 0 {
                let analyzeStart = ContinuousClock.now
                try warehouse.analyze()
                print(
                    String(
                        format: "  ANALYZE in %.1f s (indexes in all: %.1f s)", seconds(since: analyzeStart),
                        buildSeconds))
            }
            for report in full { indexed[report.name] = try time(report, on: warehouse, runs: runs) }
        }

        let duck = noDuckdb ? nil : try duckDB(workspace: workspace, reports: full)
        if let duck {
            print(String(format: "  DuckDB load of archive/*.csv: %.1f s, %d rows", duck.loadSeconds, duck.rows))
        }
        print(
            "\n  report                                           rollup   indexed    DuckDB  same answer   (in-process)"
        )
        var totals = (rollup: 0.0, indexed: 0.0, duck: 0.0)
        for report in reports {
            let (fast, answer) = rollup[report.name]!
            totals.rollup += fast
            var line = String(
                format: "  %@ %6.2f ms", report.name.padding(toLength: 46, withPad: " ", startingAt: 0), fast * 1e3)
            var same = true
            if let timing = indexed[report.name] {
                totals.indexed += timing.0
                line += String(format: " %7.1f ms", timing.0 * 1e3)
                same = same && timing.1 == answer
            } else {
                line += "         -"
            }
            if let answerDuck = duck?.reports[report.name] {
                totals.duck += answerDuck.seconds
                line += String(format: " %7.1f ms", answerDuck.seconds * 1e3)
                same = same && Self.canonical(answer) == answerDuck.rows
            } else {
                line += "         -"
            }
            print(line + "  " + (same ? "yes" : "NO"))
        }
        print(
            String(
                format: "  %@ %6.2f ms %7.1f ms %7.1f ms",
                "all five".padding(toLength: 46, withPad: " ", startingAt: 0),
                totals.rollup * 1e3, totals.indexed * 1e3, totals.duck * 1e3))

        let whole = try process.report(workspace: workspace)
        var line = String(
            format: "\n  `sluice report` (all five, whole process): with rollups %.1f ms", whole.seconds * 1e3)
        if !noIndex {
            let wholeIndexed = try process.report(workspace: workspace, fullSQL: URL(fileURLWithPath: fullSql))
            line += String(
                format: ", full-scan SQL + indexes %.1f ms%@", wholeIndexed.seconds * 1e3,
                wholeIndexed.output == whole.output ? "" : " (answers DIFFER)")
        }
        if duck != nil, totals.duck > 0 {
            line += String(
                format: "; = %.1f%% of DuckDB's in-process %.1f ms", whole.seconds / totals.duck * 100,
                totals.duck * 1e3)
        }
        print(line)
        if !noDashboard, let page = try process.dashboardPage(workspace: workspace) {
            print(
                String(
                    format: "  dashboard GET / : first %.1f ms, warm %.1f ms (median of %d)", page.first * 1e3,
                    page.warm * 1e3, max(runs, 9)))
        }
    }

    private func time(_ report: SavedReport, on warehouse: Warehouse, runs: Int) throws -> (Double, QueryResult) {
        var times: [Double] = []
        var result = QueryResult(columns: [], rows: [])
        for _ in 0..<runs {
            let start = ContinuousClock.now
            result = try warehouse.run(report)
            times.append(seconds(since: start))
            if times[0] > 5 { break }  // a full scan of a large table: once is enough, and the noise is small
        }
        return (median(times), result)
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Rows as text with numbers as doubles, to compare SQLite's and DuckDB's answers.
    static func canonical(_ result: QueryResult) -> [[String]] {
        result.rows.map { row in
            row.map { value in
                switch value {
                case .integer(let number): String(Double(number))
                case .real(let number): String(number)
                default: value.displayText
                }
            }
        }
    }

    private struct DuckResult {
        var loadSeconds: Double
        var rows: Int
        var reports: [String: (seconds: Double, rows: [[String]])]
    }

    private func duckDB(workspace: Workspace, reports: [SavedReport]) throws -> DuckResult? {
        guard let python = Self.which("python3") else { return nil }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import duckdb"]
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-reports-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let textColumns = workspace.schema.columns.filter { $0.type == .text }.map(\.name).joined(separator: ",")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments =
            [
                BenchPaths.sourceDirectory + "/duckdb_reports.py", workspace.layout.archive.path + "/*.csv",
                textColumns,
                directory.appendingPathComponent("d.duckdb").path, String(runs),
            ]
            + reports.map { URL(fileURLWithPath: fullSql).appendingPathComponent($0.name + ".sql").path }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let answers = object["reports"] as? [String: [String: Any]]
        else { return nil }
        var result = DuckResult(
            loadSeconds: object["load_seconds"] as? Double ?? 0, rows: object["rows"] as? Int ?? 0, reports: [:])
        for (name, answer) in answers {
            let rows = (answer["rows"] as? [[Any]] ?? []).map { row in
                row.map { value -> String in
                    if let number = value as? NSNumber, !(value is String) { return String(number.doubleValue) }
                    return "\(value)"
                }
            }
            result.reports[name] = (answer["seconds"] as? Double ?? 0, rows)
        }
        return result
    }

    private static func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
