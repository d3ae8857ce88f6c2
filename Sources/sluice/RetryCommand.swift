import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice retry [NAME...]`: moves quarantined files back to the inbox.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Move quarantined files from failed/ back to inbox/ after fixing them or the schema.",
        discussion: """
            Each file's old reason report is kept in failed/ under a time-stamped name
            (x.csv.errors.20261126T223847Z.json). Then run `sluice ingest` (or pass
            --ingest). A .rejected.csv file of refused rows can be fixed and retried as
            it is.

            Examples:
              sluice retry --list
              sluice retry bad.csv --ingest
              sluice retry            # every quarantined file
            """)

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Only list the quarantined files.")
    var list = false

    @Flag(help: "Ingest the inbox right after moving the files back.")
    var ingest = false

    @Flag(help: "Print JSON: {\"retried\":[{\"from\",\"to\",\"previous_report\"}]}.")
    var json = false

    @Argument(help: ArgumentHelp("File names in failed/, or unique prefixes (default: all).", valueName: "name"))
    var names: [String] = []

    func run() async throws {
        try await withExitCodesAsync {
            let workspace = try options.open()
            if list {
                let files = workspace.quarantinedFiles()
                if json {
                    struct Output: Encodable { let quarantined: [String] }
                    print(ResultFormatter.json(Output(quarantined: files)), terminator: "")
                } else {
                    print(files.isEmpty ? "Nothing in \(workspace.layout.failed.path)." : files.joined(separator: "\n"))
                }
                return
            }
            let retried = try workspace.retryQuarantined(names)
            if json {
                struct Output: Encodable { let retried: [RetriedFile] }
                print(ResultFormatter.json(Output(retried: retried)), terminator: "")
            } else if retried.isEmpty {
                print("Nothing to retry: \(workspace.layout.failed.path) holds no quarantined file.")
            } else {
                for file in retried {
                    print(
                        "back in the inbox: \(file.to)"
                            + (file.previousReport.map { " (old report kept: \($0))" } ?? ""))
                }
            }
            if ingest {
                let command = try IngestCommand.parse(
                    ["--workspace", workspace.layout.root.path] + (json ? ["--json"] : []))
                try await command.run()
            }
        }
    }
}
