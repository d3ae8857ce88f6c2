import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice ingest [PATH...]`: loads files into the warehouse.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load CSV files into the warehouse; quarantine the ones that fail with a reason report.",
        discussion: """
            With no PATH, loads every file waiting in inbox/: a loaded file moves to archive/ (or is
            deleted with `after_load: delete`), a rejected one moves to failed/ beside
            failed/<name>.errors.json. A file given by PATH is never modified, moved or deleted;
            a rejected one is copied to failed/. The same bytes are never loaded twice.

            Exit codes: 0 all files loaded (or already loaded), 3 some file was rejected,
            2 usage or configuration error, 1 any other failure.
            """)

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Print one JSON object: {\"files\":[…],\"totals\":{…}}.")
    var json = false

    @Argument(help: ArgumentHelp("CSV files to load instead of the inbox.", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            for path in paths where !FileManager.default.fileExists(atPath: path) {
                throw CLIError(message: "\(path): no such file", exitCode: 2)
            }
            let ingestor = try Ingestor(workspace: workspace, logger: workspaceLogger(workspace))
            var records: [IngestRecord] = []
            if paths.isEmpty {
                records = try ingestor.ingestInbox()
            } else {
                for path in paths {
                    records.append(try ingestor.ingest(fileAt: URL(fileURLWithPath: path), origin: .external))
                }
            }
            if json {
                struct Output: Encodable { let files: [IngestRecord]; let totals: IngestTotals }
                print(ResultFormatter.json(Output(files: records, totals: IngestTotals(records))), terminator: "")
            } else {
                printSummary(records, workspace: workspace)
            }
            if records.contains(where: { $0.status == .rejected }) { throw ExitCode(3) }
        }
    }

    private func printSummary(_ records: [IngestRecord], workspace: Workspace) {
        if records.isEmpty {
            print("Nothing to ingest: \(workspace.layout.inbox.path) is empty.")
            return
        }
        for record in records {
            print("\(record.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(record.message)")
            if let report = record.errorsReport { print("          reasons: \(report)") }
        }
        let totals = IngestTotals(records)
        print("\(totals.files) file(s): \(totals.loaded) loaded, \(totals.rejected) rejected, \(totals.duplicate) duplicate; "
            + "\(totals.rowsLoaded) rows loaded, \(totals.rowsDropped) dropped")
    }
}
