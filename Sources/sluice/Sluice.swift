import ArgumentParser
import Foundation

/// Every subcommand, in the order `--help` lists them (`serve` only with the Dashboard trait).
private let allSubcommands: [any ParsableCommand.Type] = {
    var commands: [any ParsableCommand.Type] = [
        InitCommand.self, SchemaCommand.self, IngestCommand.self, WatchCommand.self, ReportCommand.self,
        QueryCommand.self, IndexCommand.self, RollupCommand.self,
        RetryCommand.self, StatusCommand.self, ForgetCommand.self, GenerateCommand.self, InspectCommand.self,
        CatCommand.self,
        VerifyCommand.self, ExportCommand.self,
    ]
    #if Dashboard
        commands.append(ServeCommand.self)
    #endif
    commands.append(DemoCommand.self)
    return commands
}()

/// The `sluice` command: CSV files in, a validated SQLite warehouse and saved reports out.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Load CSV files into a validated SQLite warehouse and run saved reports over it.",
        discussion: """
            A workspace is a folder with sluice.yaml, inbox/, failed/, archive/,
            columnar/, queries/, warehouse.sqlite and sluice.log. Start with `sluice
            demo`, or:

              sluice init ws                 # folders, config, schema, reports
              sluice schema infer my.csv     # a schema for your own files (init --schema)
              cp deliveries/*.csv ws/inbox/
              sluice ingest -w ws            # load; rejects go to ws/failed/
              sluice report -w ws            # the saved reports
              sluice watch -w ws             # keep loading as files land
              sluice serve -w ws             # the live dashboard

            --workspace defaults to $SLUICE_WORKSPACE, then the current folder. Exit
            codes: 0 success, 1 failure, 2 usage or configuration error, 3 some file was
            rejected (ingest) or some report failed (report), 4 the workspace is locked
            (--no-wait), 5 some file was deferred (taken again by the next run).
            """,
        version: "0.1.0",
        subcommands: allSubcommands
    )

    /// Parses and runs, mapping argument-parser's usage failures (its exit 64) to the documented
    /// exit code 2, so scripts see one code for every usage or configuration error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
