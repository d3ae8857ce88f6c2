import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice index`: builds (or drops) the indexes the saved reports declare.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build the indexes the saved reports ask for (after a bulk load), or drop them (before one).",
        discussion: """
            A report asks for an index with a header line such as
              -- index: sex, age, mjob
            Loading does not maintain indexes it does not have, and building one over the
            loaded table is a single sort, so for a bulk load:
              sluice index --drop && sluice ingest && sluice index
            Without --drop, builds every declared index that does not exist yet (named
            sluice_report_<table>_<columns>), then runs ANALYZE so the planner uses them.
            Later ingests keep existing indexes up to date (each insert updates them).

            JSON (--json): {"built":[{"name","columns","reports","seconds"}],"dropped":[names],"analyze_seconds"}
            """)

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Drop the report indexes instead of building them.")
    var drop = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    /// What was done, as `--json` prints it.
    private struct Outcome: Encodable {
        struct Built: Encodable {
            var name: String
            var columns: [String]
            var reports: [String]
            var seconds: Double
        }

        var built: [Built] = []
        var dropped: [String] = []
        var analyzeSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case built, dropped
            case analyzeSeconds = "analyze_seconds"
        }
    }

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            guard FileManager.default.fileExists(atPath: workspace.layout.warehouse.path) else {
                throw CLIError(
                    message:
                        "no warehouse at \(workspace.layout.warehouse.path) yet; load data first with `sluice ingest`",
                    exitCode: 2)
            }
            let warehouse = try Warehouse(path: workspace.layout.warehouse.path)
            var outcome = Outcome()
            if drop {
                outcome.dropped = try warehouse.dropReportIndexes()
                if !json {
                    print(
                        outcome.dropped.isEmpty
                            ? "No report indexes to drop." : "Dropped \(outcome.dropped.joined(separator: ", ")).")
                }
            } else {
                let indexes = ReportIndex.declared(by: try workspace.reports().reports, on: workspace.tableName)
                for index in indexes {
                    let seconds: Double
                    do {
                        seconds = try warehouse.build(index)
                    } catch {
                        throw CLIError(
                            message: "cannot build index (\(index.columns.joined(separator: ", "))) asked for by "
                                + "\(index.reports.joined(separator: ", ")): \(error)", exitCode: 2)
                    }
                    outcome.built.append(
                        .init(name: index.name, columns: index.columns, reports: index.reports, seconds: seconds))
                    if !json {
                        print(
                            String(
                                format: "%@ (%@) for %@: %.2f s", index.name, index.columns.joined(separator: ", "),
                                index.reports.joined(separator: ", "), seconds))
                    }
                }
                let start = ContinuousClock.now
                try warehouse.analyze()
                let elapsed = ContinuousClock.now - start
                outcome.analyzeSeconds =
                    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                if !json {
                    if indexes.isEmpty {
                        print("No report declares an index (add `-- index: column, …` to a query's header).")
                    }
                    print(String(format: "ANALYZE: %.2f s", outcome.analyzeSeconds ?? 0))
                }
            }
            if json { print(ResultFormatter.json(outcome), terminator: "") }
        }
    }
}
