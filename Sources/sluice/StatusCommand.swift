import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice status`: what the ledger says happened lately, and what is waiting or failed.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show the recent ingest history, the files waiting in the inbox or in flight, and the quarantined ones.",
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
            let waiting = try workspace.waitingNames()
            let inFlight = try workspace.claimedFiles().map(\.source)
            let failed = workspace.quarantinedFiles()
            let ledger = try Ledger.openReadOnly(workspace)
            let totals = try ledger?.totals() ?? []
            let history = try ledger?.recent(limit: recent) ?? []
            if json {
                struct Output: Encodable {
                    let totals: [LedgerTotals], recent: [LedgerEntry], waiting: [String], inFlight: [String],
                        failed: [String]
                    enum CodingKeys: String, CodingKey { case totals, recent, waiting, inFlight = "in_flight", failed }
                }
                print(
                    ResultFormatter.json(
                        Output(totals: totals, recent: history, waiting: waiting, inFlight: inFlight, failed: failed)),
                    terminator: "")
                return
            }
            print("Workspace \(workspace.layout.root.path)\n")
            if totals.isEmpty {
                print("Nothing ingested yet.")
            } else {
                let totalsTable = QueryResult(
                    columns: ["status", "files", "rows_read", "rows_loaded", "rows_dropped", "rows_rejected", "last"],
                    rows: totals.map {
                        [
                            .text($0.status), .integer(Int64($0.files)), .integer(Int64($0.rowsRead)),
                            .integer(Int64($0.rowsLoaded)),
                            .integer(Int64($0.rowsDropped)), .integer(Int64($0.rowsRejected)), .text($0.last),
                        ]
                    })
                print(ResultFormatter.render(totalsTable, as: .table))
                print("Recent:")
                let recentTable = QueryResult(
                    columns: ["id", "ingested_at", "status", "source", "rows_loaded", "reason"],
                    rows: history.map {
                        [
                            .integer($0.id), .text($0.ingestedAt), .text($0.status.rawValue), .text($0.source),
                            .integer(Int64($0.rowsLoaded)), .text($0.reason ?? ""),
                        ]
                    })
                print(ResultFormatter.render(recentTable, as: .table))
            }
            print(
                "Waiting in inbox/: \(waiting.count)"
                    + (waiting.isEmpty
                        ? ""
                        : "  (" + waiting.prefix(10).joined(separator: ", ") + (waiting.count > 10 ? ", …" : "") + ")"))
            print(
                "In flight in .work/: \(inFlight.count)"
                    + (inFlight.isEmpty ? "" : "  (finished by the next ingest or watch)"))
            print(
                "Quarantined in failed/: \(failed.count)"
                    + (failed.isEmpty
                        ? ""
                        : "  (" + failed.prefix(10).joined(separator: ", ") + (failed.count > 10 ? ", …" : "")
                            + "; see `sluice retry --list`)"))
        }
    }
}
