import ArgumentParser
import Foundation
import SluicePipeline

/// `sluice init DIR [--schema FILE]`: creates a workspace.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace: sluice.yaml, the schema, inbox/, failed/, columnar/, archive/ and queries/.",
        discussion: """
            The schema file is checked, copied into the workspace and named in
            sluice.yaml. Of the bundled saved reports, only those whose tables and columns
            exist in the schema are copied into queries/; a schema they do not fit gets a
            starter report for its table instead. A failed init leaves nothing behind.
            Running init on an existing workspace only adds what is missing and never
            overwrites sluice.yaml.

            Example: sluice schema infer weather.csv --output weather.yaml
                     sluice init ./weather --schema weather.yaml
            """)

    @Argument(help: ArgumentHelp("The workspace folder to create.", valueName: "dir"))
    var directory: String

    @Option(
        help: ArgumentHelp(
            "The YAML schema to validate against: Sluice's format, or the old pipeline's flat schema.yaml or schema_sql.yaml.",
            discussion: "Defaults to the bundled student schema (data/student.yaml).", valueName: "file"))
    var schema: String?

    func run() throws {
        try withExitCodes {
            _ = try BundledAssets.configuredHome()  // a SLUICE_HOME that does not exist is an error
            let assets = try? BundledAssets.locate()
            guard let schemaFile = schema.map({ URL(fileURLWithPath: $0) }) ?? assets?.schema else {
                throw CLIError(
                    message: "no --schema given and the bundled schema cannot be found; pass --schema FILE", exitCode: 2
                )
            }
            guard FileManager.default.fileExists(atPath: schemaFile.path) else {
                throw CLIError(message: "schema file \(schemaFile.path) does not exist", exitCode: 2)
            }
            let root = URL(fileURLWithPath: directory, isDirectory: true)
            let existed = FileManager.default.fileExists(atPath: WorkspaceLayout(root: root).configFile.path)
            let workspace = try Workspace.create(at: root, schemaFile: schemaFile, queries: assets?.queries)
            print(
                existed
                    ? "Workspace \(workspace.layout.root.path) already existed; added what was missing."
                    : "Created workspace \(workspace.layout.root.path)")
            print("  schema: \(workspace.schema.columns.count) columns → table \(workspace.tableName)")
            let reports = (try? workspace.reports().reports.map(\.name)) ?? []
            print("  reports in queries/: \(reports.isEmpty ? "none" : reports.joined(separator: ", "))")
            print(
                "  drop CSV files into \(workspace.layout.inbox.path), then run: sluice ingest --workspace \(directory)"
            )
        }
    }
}
