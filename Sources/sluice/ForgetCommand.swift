import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice forget NAME|HASH|ID`: take one delivery back out of the warehouse.
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Remove one loaded delivery: its rows, its .scol file; its ledger entry is kept, marked forgotten.",
        discussion: """
            Every warehouse row carries _ingest_id, so a delivery comes out exactly. The
            archived source is kept, and the same bytes can be loaded again afterwards.
            Under a primary key only the rows the delivery still holds are deleted (rows a
            later delivery replaced are that one's); the rows it replaced itself do not come
            back.
            Examples: sluice forget student-mat.csv   sluice forget 7   sluice forget
            e47f9ee2
            """)

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Print what was removed as JSON.")
    var json = false

    @OptionGroup var lock: LockOptions

    @Argument(
        help: ArgumentHelp(
            "A file name as delivered, a ledger id, or a SHA-256 (8+ hex digits).", valueName: "delivery"))
    var delivery: String

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let forgotten = try Ingestor(
                workspace: workspace, logger: workspaceLogger(workspace), lockPolicy: lock.policy
            ).forget(delivery)
            if json {
                print(ResultFormatter.json(forgotten), terminator: "")
            } else {
                print(
                    "forgot \(forgotten.source) (ledger entry \(forgotten.ledgerID)): \(forgotten.rowsDeleted) rows deleted"
                        + (forgotten.columnarFile.map { ", \($0) removed" } ?? ""))
            }
        }
    }
}
