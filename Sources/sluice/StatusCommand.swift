import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice status`: what the ledger says happened lately, and what is waiting or failed.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the recent ingest history, the files waiting in the inbox or in flight, and the quarantined ones.",
        discussion: "Example: sluice status -w deliveries --recent 20")

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "How many recent ledger entries to show.")
    var recent: Int = 10

    @Flag(help: "Print {\"totals\",\"recent\",\"waiting\",\"in_flight\",\"failed\"} as JSON.")
    var json = false

    func validate() throws {
        guard recent >= 0 else { throw ValidationError("--recent must be 0 or more") }
    }

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let waiting = try workspace.waitingFiles().map(\.lastPathComponent)
            let inFlight = try workspace.claimedFiles().map(\.source)
            let failed = workspace.quarantinedFiles()
            var totals = QueryResult(columns: [], rows: [])
            var history = QueryResult(columns: [], rows: [])
            if FileManager.default.fileExists(atPath: workspace.layout.warehouse.path) {
                let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
                totals = try warehouse.query("""
                    SELECT status, count(*) AS files, sum(rows_read) AS rows_read, sum(rows_loaded) AS rows_loaded,
                           sum(rows_dropped_missing + rows_dropped_duplicate) AS rows_dropped, sum(rows_rejected) AS rows_rejected,
                           max(ingested_at) AS last
                    FROM sluice_ingests GROUP BY status ORDER BY status
                    """)
                history = try warehouse.query("""
                    SELECT id, ingested_at, status, source, rows_loaded, coalesce(reason, '') AS reason
                    FROM sluice_ingests ORDER BY id DESC LIMIT \(recent)
                    """)
            }
            if json {
                struct Output: Encodable {
                    let totals: QueryResult, recent: QueryResult, waiting: [String], inFlight: [String], failed: [String]
                    enum CodingKeys: String, CodingKey { case totals, recent, waiting, inFlight = "in_flight", failed }
                }
                print(ResultFormatter.json(Output(totals: totals, recent: history, waiting: waiting, inFlight: inFlight, failed: failed)),
                      terminator: "")
                return
            }
            print("Workspace \(workspace.layout.root.path)\n")
            if totals.rows.isEmpty {
                print("Nothing ingested yet.")
            } else {
                print(ResultFormatter.render(totals, as: .table))
                print("Recent:")
                print(ResultFormatter.render(history, as: .table))
            }
            print("Waiting in inbox/: \(waiting.count)" + (waiting.isEmpty ? "" : "  (" + waiting.prefix(10).joined(separator: ", ") + (waiting.count > 10 ? ", …" : "") + ")"))
            print("In flight in .work/: \(inFlight.count)" + (inFlight.isEmpty ? "" : "  (finished by the next ingest or watch)"))
            print("Quarantined in failed/: \(failed.count)" + (failed.isEmpty ? "" : "  (" + failed.prefix(10).joined(separator: ", ") + (failed.count > 10 ? ", …" : "") + "; see `sluice retry --list`)"))
        }
    }
}
