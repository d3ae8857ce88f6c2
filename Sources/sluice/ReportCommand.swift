import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

extension ResultFormat: ExpressibleByArgument {}

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
            Each report is plain SQLite SQL: `sqlite3 -readonly warehouse.sqlite < queries/q1_….sql`
            gives the same rows.

            JSON: {"reports":[{"name","title","description","columns","rows"}]}, numbers as JSON numbers.
            """)

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: ResultFormat = .table

    @Argument(help: ArgumentHelp("Reports to run (default: all).", valueName: "name"))
    var names: [String] = []

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let reports = try workspace.reports().select(names)
            let warehouse = try openWarehouseReadOnly(workspace)
            let results = try reports.map { ReportResult(report: $0, result: try warehouse.run($0)) }
            print(ResultFormatter.render(results, as: format), terminator: "")
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
            Example: sluice query "SELECT school, COUNT(*) AS n FROM student_data GROUP BY school"
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
