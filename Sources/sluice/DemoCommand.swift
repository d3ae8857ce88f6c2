import ArgumentParser
import Foundation
import Sluice

/// `sluice demo`: the whole job on the bundled data.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a workspace, load the bundled student data and print the five saved reports.",
        discussion:
            "The workspace defaults to ./sluice-demo; run it again and the data is recognised as already loaded.")

    @Option(name: [.customShort("w"), .long], help: ArgumentHelp("The demo workspace folder.", valueName: "dir"))
    var workspace: String = "sluice-demo"

    func run() async throws {
        try await withExitCodesAsync {
            let assets = try BundledAssets.locate()
            let root = URL(fileURLWithPath: workspace, isDirectory: true)
            let space = try Workspace.create(at: root, schema: assets.schema, reports: assets.queries)
            let record = try await space.ingest([assets.demoData], logger: workspaceLogger(space))[0]
            print("\(record.status.rawValue): \(record.message)\n")

            let outcomes = try space.runReportsNow()
            print(ResultFormatter.render(outcomes.compactMap(\.succeeded), as: .table))
            for failure in outcomes.compactMap(\.failure) { printError("sluice: report failed: \(failure)") }

            let layout = space.layout
            print(
                """
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
