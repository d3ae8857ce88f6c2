import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice-bench reports`: the saved reports over a loaded workspace, without and with the
/// indexes they declare, and DuckDB on the same rows when Python has `duckdb`.
struct ReportsBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Time the saved reports over a loaded workspace: no indexes, then `sluice index`, and DuckDB on the same files.",
        discussion: """
            Load a workspace first, e.g. at 100x:
              sluice generate /tmp/files --files 99900
              sluice init /tmp/ws && ln /tmp/files/*.csv /tmp/ws/inbox/  (or mv)
              sluice ingest -w /tmp/ws
              swift run -c release sluice-bench reports --workspace /tmp/ws
            The report indexes are dropped first and left built at the end. DuckDB loads the
            workspace's archive/*.csv into one table (text lower-cased, as Sluice cleans it)
            and runs the same SQL; the bench checks both give the same answers.
            """)

    @Option(help: "The loaded workspace.")
    var workspace: String

    @Option(help: "Runs per report; medians are printed (a report that takes over 5 s is run once).")
    var runs: Int = 3

    @Flag(help: "Skip the DuckDB baseline.")
    var noDuckdb = false

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
    }

    func run() throws {
        let workspace = try Workspace.open(at: URL(fileURLWithPath: workspace))
        let reports = try workspace.reports().reports
        let warehouse = try Warehouse(path: workspace.layout.warehouse.path)
        let rows = try warehouse.query("SELECT count(*) FROM \(SQLiteIdentifier.quote(workspace.tableName))").rows.first?.first
        print("sluice-bench reports: \(rows?.displayText ?? "?") rows in \(workspace.tableName); medians of \(runs) runs")

        _ = try warehouse.dropReportIndexes()
        try warehouse.analyze()
        var plain: [String: (Double, QueryResult)] = [:]
        for report in reports { plain[report.name] = try time(report, on: warehouse) }

        var buildSeconds = 0.0
        for index in ReportIndex.declared(by: reports, on: workspace.tableName) {
            let seconds = try warehouse.build(index)
            buildSeconds += seconds
            print(String(format: "  built %@ in %.1f s", index.name, seconds))
        }
        let analyzeStart = ContinuousClock.now
        try warehouse.analyze()
        print(String(format: "  ANALYZE in %.1f s (indexes in all: %.1f s)", seconds(since: analyzeStart), buildSeconds))
        var indexed: [String: (Double, QueryResult)] = [:]
        for report in reports { indexed[report.name] = try time(report, on: warehouse) }

        let duck = noDuckdb ? nil : try duckDB(workspace: workspace, reports: reports)
        if let duck { print(String(format: "  DuckDB load of archive/*.csv: %.1f s, %d rows", duck.loadSeconds, duck.rows)) }
        print("\n  report                                         SQLite   indexed  speed-up   DuckDB  indexed/DuckDB  same answer")
        for report in reports {
            let (before, result) = plain[report.name]!
            let (after, resultIndexed) = indexed[report.name]!
            var line = String(format: "  %@ %7.3f s %7.3f s %7.1fx", report.name.padding(toLength: 44, withPad: " ", startingAt: 0),
                              before, after, before / after)
            if let answer = duck?.reports[report.name] {
                let same = Self.canonical(result) == answer.rows && Self.canonical(resultIndexed) == answer.rows
                line += String(format: "  %7.3f s  %12.2fx  %@", answer.seconds, after / answer.seconds, same ? "yes" : "NO")
            } else {
                line += Self.canonical(result) == Self.canonical(resultIndexed) ? "" : "  (indexed answer differs!)"
            }
            print(line)
        }
    }

    private func time(_ report: SavedReport, on warehouse: Warehouse) throws -> (Double, QueryResult) {
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
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-reports-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let textColumns = workspace.schema.columns.filter { $0.type == .text }.map(\.name).joined(separator: ",")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [BenchPaths.sourceDirectory + "/duckdb_reports.py", workspace.layout.archive.path + "/*.csv", textColumns,
                             directory.appendingPathComponent("d.duckdb").path, String(runs)]
            + reports.map { workspace.layout.queries.appendingPathComponent($0.name + ".sql").path }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let answers = object["reports"] as? [String: [String: Any]] else { return nil }
        var result = DuckResult(loadSeconds: object["load_seconds"] as? Double ?? 0, rows: object["rows"] as? Int ?? 0, reports: [:])
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
