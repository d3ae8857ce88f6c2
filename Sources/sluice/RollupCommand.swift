import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice rollup [--rebuild]`: list the rollups the saved reports keep, or recompute them.
struct RollupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup",
        abstract:
            "List the rollups the saved reports keep (with their rows), or recompute them from the table (--rebuild).",
        discussion: """
            A report declares the aggregate state it reads in its header, e.g.
              -- rollup: count by famrel, sex, absences where famrel in (1, 2, 3)
            and its SQL reads the table sluice_rollup_<report name>. Every ingest keeps it in
            the same transaction as each file's rows, forget takes a delivery's rows out,
            verify checks it against the table. A writer (ingest, watch, forget) creates
            missing or changed rollups when it opens the workspace; --rebuild recomputes
            all of them from the table now (under the writer lock).

            JSON (--json): {"rollups":[{"table","report","definition","rows","seconds","problem"}]}
            Exit code 2 when a report's rollup header cannot be kept.
            """)

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Recompute every rollup from the table, in one transaction.")
    var rebuild = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var lock: LockOptions

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let rollups: [RollupStatus]
            if rebuild {
                rollups = try Ingestor(
                    workspace: workspace, logger: workspaceLogger(workspace), lockPolicy: lock.policy
                ).rebuildRollups()
            } else {
                rollups = try workspace.rollups()
            }
            if json {
                struct Output: Encodable { let rollups: [RollupStatus] }
                print(ResultFormatter.json(Output(rollups: rollups)), terminator: "")
            } else if rollups.isEmpty {
                print("No report declares a rollup (add `-- rollup: count by column, …` to a query's header).")
            } else {
                for rollup in rollups {
                    if rollup.definition.isEmpty {
                        print("\(rollup.report): cannot be kept: \(rollup.problem ?? "")")
                        continue
                    }
                    var line = "\(rollup.table): \(rollup.definition)"
                    if let rows = rollup.rows { line += " — \(rows) rows" }
                    if let seconds = rollup.seconds { line += String(format: ", rebuilt in %.2f s", seconds) }
                    if rollup.rows == nil, let problem = rollup.problem { line += " — \(problem)" }
                    print(line)
                }
            }
            if rollups.contains(where: { $0.definition.isEmpty }) { throw ExitCode(2) }
        }
    }
}
