import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice demo`: the whole job on the bundled data.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a workspace, load the bundled student data and print the five saved reports.",
        discussion: "The workspace defaults to ./sluice-demo; run it again and the data is recognised as already loaded.")

    @Option(name: [.customShort("w"), .long], help: ArgumentHelp("The demo workspace folder.", valueName: "dir"))
    var workspace: String = "sluice-demo"

    func run() throws {
        try withExitCodes {
            let assets = try BundledAssets.locate()
            let root = URL(fileURLWithPath: workspace, isDirectory: true)
            let space = try Workspace.create(at: root, schemaFile: assets.schema, queries: assets.queries)
            let ingestor = try Ingestor(workspace: space, logger: workspaceLogger(space))
            let record = try ingestor.ingest(fileAt: assets.demoData, origin: .external)
            print("\(record.status.rawValue): \(record.message)\n")

            let warehouse = try openWarehouseReadOnly(space)
            let results = try space.reports().reports.map { ReportResult(report: $0, result: try warehouse.run($0)) }
            print(ResultFormatter.render(results, as: .table))

            let layout = space.layout
            print("""
                Workspace:   \(layout.root.path)
                Warehouse:   \(layout.warehouse.path)   (sqlite3 -readonly \(layout.warehouse.lastPathComponent))
                Reports:     \(layout.queries.path)
                Log:         \(layout.log.path)
                Failed:      \(layout.failed.path)
                Inbox:       \(layout.inbox.path)   (drop CSVs here, then: sluice ingest -w \(workspace))
                """)
            if record.status == .rejected { throw ExitCode(3) }
        }
    }
}
