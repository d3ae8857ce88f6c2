import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice export DIR --format parquet`: the warehouse as a Hive-style Parquet lake.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the loaded deliveries to DIR as a Hive-style Parquet lake, incrementally and exactly.",
        discussion: """
            DIR/loaded_date=YYYY-MM-DD/part-RUN-INDEX.parquet (or DIR/COLUMN=value/… with
            --partition-by), plus DIR/_sluice_manifest.json: which ledger entries are in which
            file. Each run writes only the deliveries loaded since the last one, and rewrites
            (or removes) the files holding deliveries forgotten since, so the lake always
            holds the warehouse's rows; every row carries _ingest_id. Files appear only once
            complete. Spark, Trino, DuckDB and pyarrow read the folder, e.g. DuckDB:
            SELECT * FROM read_parquet('DIR/**/*.parquet', hive_partitioning = true)
            """)

    @Argument(help: ArgumentHelp("The export folder (created if missing).", valueName: "dir"))
    var directory: String

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Output format (only parquet).")
    var format: ExportFormat = .parquet

    @Option(help: ArgumentHelp("Partition by this column instead of loaded_date.", valueName: "column"))
    var partitionBy: String?

    @Flag(help: "Print the files, rows and bytes written as JSON.")
    var json = false

    enum ExportFormat: String, ExpressibleByArgument { case parquet }

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let exporter = LakeExporter(
                workspace: workspace, directory: URL(fileURLWithPath: directory),
                options: LakeExportOptions(partitionBy: partitionBy), logger: workspaceLogger(workspace))
            let summary = try exporter.export()
            if json {
                print(ResultFormatter.json(summary), terminator: "")
                return
            }
            print("\(summary.directory) (partitioned by \(summary.partitionBy))")
            for file in summary.files {
                let ids =
                    file.ledgerIDs.count > 6
                    ? "\(file.ledgerIDs.count) deliveries"
                    : "ledger " + file.ledgerIDs.map(String.init).joined(separator: ", ")
                print(
                    "  \(file.action.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(file.path)"
                        + (file.action == .removed ? "" : "  \(file.rows) rows, \(file.bytes) bytes, \(ids)"))
            }
            let totals = summary.totals
            if summary.files.isEmpty { print("  up to date: nothing loaded or forgotten since the last export") }
            print(
                "\(totals.filesWritten) written, \(totals.filesRewritten) rewritten, \(totals.filesRemoved) removed: "
                    + "\(totals.rowsWritten) rows, \(totals.bytesWritten) bytes; the lake holds \(totals.rowsInLake) rows in \(totals.filesInLake) file(s)"
            )
        }
    }
}
