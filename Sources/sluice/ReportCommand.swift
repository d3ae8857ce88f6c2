import ArgumentParser
import Foundation
import Sluice
#if Dashboard
    import SluiceDashboard
#endif

extension ResultFormat: ExpressibleByArgument {}

/// What `sluice report` can print: the result formats, plus one self-contained HTML page.
enum ReportOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown, html

    /// The matching result format, or `nil` for HTML.
    var resultFormat: ResultFormat? { ResultFormat(rawValue: rawValue) }
}

/// `sluice report [NAME...]`: runs the saved reports.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run the saved reports in queries/ (all of them, or the ones named).",
        discussion: """
            A NAME is a report's file name without .sql, or a unique prefix such as q3
            (a prefix never splits a number: q1 is not q10_…). Each report is plain
            SQLite SQL: `sqlite3 -readonly warehouse.sqlite < queries/q1_….sql` gives
            the same rows.

            Each report runs on a read-only connection of its own, with a time limit
            (60 s; a `-- time_limit: SECONDS` header line changes it, 0 for none) and
            a 256 MiB cap on its answer (`-- max_bytes: N`). A report that fails is
            named with its file and line on stderr, the others still print, and the
            exit code is 3. Exit 2: a NAME matches no report, or nothing is loaded yet.

            JSON: {"reports":[{"name","title","description","columns","rows"}]}, numbers
            as JSON numbers; a failed report has "error":{"code","message","place","line"}
            in place of "columns" and "rows".

            HTML: one self-contained page (inline CSS and SVG charts, no script, no
            external request): every report as a chart and a table with its SQL folded,
            when the data was last loaded, the ingest totals and the rejected files with
            their first reason. A report's chart comes from its `-- chart:` header line,
            e.g. `-- chart: bar x=fjob y=count group=pstatus` (bar, grouped bar) or `--
            chart: table`.
              sluice report --format html --output report.html
            """)

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Output format: table, json, csv, markdown or html.")
    var format: ReportOutputFormat = .table

    @Option(
        name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("Reports to run (default: all).", valueName: "name"))
    var names: [String] = []

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let outcomes: [ReportOutcome]
            let text: String
            do {
                outcomes = try workspace.runReportsNow(names)
            } catch let error as WarehouseError where error.code == .reportNotFound || error.code == .noWarehouse {
                throw CLIError(
                    message: error.message
                        + (error.code == .noWarehouse ? "; load data first with `sluice ingest`" : ""), exitCode: 2)
            }
            if let resultFormat = format.resultFormat {
                text =
                    resultFormat == .json
                    ? ResultFormatter.json(ReportsEnvelope(reports: outcomes))
                    : ResultFormatter.render(outcomes.compactMap(\.succeeded), as: resultFormat)
            } else {
                text = try htmlReport(workspace: workspace, outcomes: outcomes)
            }
            for failure in outcomes.compactMap(\.failure) {
                printError("sluice: report failed: \(failure)")
            }
            if let output {
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw CLIError(message: "cannot write \(output): \(error.localizedDescription)")
                }
                print(
                    "Wrote \(URL(fileURLWithPath: output).path) (\(outcomes.count) report\(outcomes.count == 1 ? "" : "s"), \(format.rawValue))"
                )
            } else {
                print(text, terminator: "")
            }
            let failed = outcomes.filter { $0.failure != nil }.count
            if failed > 0 {
                throw CLIError(message: "\(failed) of \(outcomes.count) reports failed (the others ran)", exitCode: 3)
            }
        }
    }

    /// `{"reports":[…]}`: each report's rows, or its error.
    private struct ReportsEnvelope: Encodable {
        let reports: [ReportOutcome]
    }

    /// The self-contained HTML page: every report, a failed one with its error in its card.
    private func htmlReport(workspace: Workspace, outcomes: [ReportOutcome]) throws -> String {
        #if Dashboard
            let snapshot = DashboardSnapshot.load(workspace: workspace, outcomes: outcomes)
            return PageRenderer().render(snapshot, mode: .report)
        #else
            throw CLIError(message: "this sluice was built without the Dashboard trait, which draws HTML", exitCode: 2)
        #endif
    }
}

/// `sluice query SQL`: one read-only ad-hoc query, every row streamed.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one read-only SQL query against the warehouse.",
        discussion: """
            The warehouse is opened read-only: statements that would write are refused.
            csv, json and markdown write every row as it is read (constant memory, any
            size); the table view shows the first 1,000 and says how many more there
            are. --max-rows N cuts after N rows and says so (on stderr, and as
            "truncated": true in JSON). SQL `-` reads the statement from stdin.
            Beside SQLite's functions: median(x), percentile(x, p) (p from 0 to 100)
            and mode(x).

            Examples:
              sluice query "SELECT school, COUNT(*) AS n FROM student_data GROUP BY school"
              sluice query --format csv "SELECT * FROM student_data" > all.csv
              echo "SELECT median(g3) FROM student_data" | sluice query -
            """)

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: ResultFormat = .table

    @Option(help: ArgumentHelp("Stop after N rows, and say so (default: every row).", valueName: "n"))
    var maxRows: Int?

    @Option(help: ArgumentHelp("Stop the query after this many seconds; 0 for no limit.", valueName: "seconds"))
    var timeLimit: Double = 60

    @Argument(help: ArgumentHelp("One SQL statement (SELECT or WITH), or - to read it from stdin.", valueName: "sql"))
    var sql: String

    func validate() throws {
        if let maxRows, maxRows < 1 {
            throw ValidationError("--max-rows must be at least 1 (leave it out for every row)")
        }
        guard timeLimit >= 0 else { throw ValidationError("--time-limit must be 0 (none) or more seconds") }
    }

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let statement =
                sql == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : sql
            let limits = ReadOnlyWarehouse.Limits(
                timeLimit: timeLimit == 0 ? nil : .milliseconds(Int64(timeLimit * 1000)), maxRows: maxRows,
                maxResultBytes: nil)
            let reader: ReadOnlyWarehouse
            do {
                reader = try workspace.reader(limits: limits)
            } catch let error as WarehouseError where error.code == .noWarehouse {
                throw CLIError(message: error.message + "; load data first with `sluice ingest`", exitCode: 2)
            }
            let output = FileHandle.standardOutput
            let writer = ResultStreamWriter(format: format) { output.write(Data($0.utf8)) }
            let summary = try reader.stream(statement, columns: writer.begin(columns:), row: writer.add)
            writer.finish(truncated: summary.isTruncated)
            if summary.isTruncated {
                printError("sluice: stopped after \(summary.rowCount) rows (--max-rows); more rows were left out")
            }
        }
    }
}
