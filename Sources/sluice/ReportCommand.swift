import ArgumentParser
import Foundation
import SluiceDashboard
import SluicePipeline
import SluiceWarehouse

extension ResultFormat: ExpressibleByArgument {}

/// What `sluice report` can print: the result formats, plus one self-contained HTML page.
enum ReportOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown, html

    /// The matching result format, or `nil` for HTML.
    var resultFormat: ResultFormat? { ResultFormat(rawValue: rawValue) }
}

/// Opens the workspace's warehouse read-only, or explains that nothing was loaded yet.
func openWarehouseReadOnly(_ workspace: Workspace) throws -> Warehouse {
    let path = workspace.layout.warehouse.path
    guard FileManager.default.fileExists(atPath: path) else {
        throw CLIError(message: "no warehouse at \(path) yet; load data first with `sluice ingest`", exitCode: 2)
    }
    return try Warehouse(path: path, readOnly: true)
}

/// `sluice report [NAME...]`: runs the saved reports.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run the saved reports in queries/ (all of them, or the ones named).",
        discussion: """
            A NAME is a report's file name without .sql, or a unique prefix such as q3.
            Each report is plain SQLite SQL: `sqlite3 -readonly warehouse.sqlite <
            queries/q1_….sql` gives the same rows.

            JSON: {"reports":[{"name","title","description","columns","rows"}]}, numbers
            as JSON numbers.

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

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("Reports to run (default: all).", valueName: "name"))
    var names: [String] = []

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let reports = try workspace.reports().select(names)
            let text: String
            if let resultFormat = format.resultFormat {
                let warehouse = try openWarehouseReadOnly(workspace)
                let results = try reports.map { ReportResult(report: $0, result: try warehouse.run($0)) }
                text = ResultFormatter.render(results, as: resultFormat)
            } else {
                text = try htmlReport(workspace: workspace, reports: reports)
            }
            guard let output else {
                print(text, terminator: "")
                return
            }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CLIError(message: "cannot write \(output): \(error.localizedDescription)")
            }
            print("Wrote \(URL(fileURLWithPath: output).path) (\(reports.count) report\(reports.count == 1 ? "" : "s"), \(format.rawValue))")
        }
    }

    /// The self-contained HTML page: reports through the dashboard's guarded read-only connection.
    private func htmlReport(workspace: Workspace, reports: [SavedReport]) throws -> String {
        _ = try openWarehouseReadOnly(workspace)  // the same "nothing loaded yet" error (exit 2) as the other formats
        do {
            let warehouse = try ReadOnlyWarehouse(path: workspace.layout.warehouse.path)
            let snapshot = DashboardSnapshot.load(workspace: workspace, reports: reports, warehouse: warehouse)
            return PageRenderer().render(snapshot, mode: .report)
        } catch let error as DashboardError {
            throw CLIError(message: error.message)
        }
    }
}

/// `sluice query SQL`: one read-only ad-hoc query.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one read-only SQL query against the warehouse.",
        discussion: """
            The warehouse is opened read-only: statements that would write are refused.
            Example: sluice query "SELECT school, COUNT(*) AS n FROM student_data GROUP
            BY school"
            """)

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: ResultFormat = .table

    @Option(help: "Stop after this many rows.")
    var maxRows: Int = 10_000

    @Argument(help: ArgumentHelp("One SQL statement (SELECT or WITH).", valueName: "sql"))
    var sql: String

    func validate() throws {
        guard maxRows > 0 else { throw ValidationError("--max-rows must be at least 1") }
    }

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let warehouse = try openWarehouseReadOnly(workspace)
            let result = try warehouse.query(sql, maxRows: maxRows)
            print(ResultFormatter.render(result, as: format), terminator: "")
        }
    }
}
